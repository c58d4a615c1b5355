import { confusionMatrixSvg } from './confusion_matrix_svg.js';
import { escapeHtml } from './escape_html.js';
import { type LineSeries, lineChartSvg } from './line_chart_svg.js';
import { type ReportData, type ReportTraining, validateReportData } from './report_data.js';
import { imageDataUri } from './report_image.js';
import { rocSvg } from './roc_svg.js';
import { formatNumber } from './svg_chart_parts.js';
import { FUNDUS_KIT_VERSION } from './version.js';

const CSS = `
:root{--fg:#1b1f24;--muted:#5b6570;--line:#d8dee4;--bg:#fff;--accent:#0072B2;--bad:#c62828}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1180px;padding:24px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 12px;border-bottom:1px solid var(--line);padding-bottom:4px}
.sub{color:var(--muted);margin:0}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin-top:16px}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:130px}
.card .k{color:var(--muted);font-size:13px}.card .v{font-size:22px;font-weight:600}
dl.details{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}dl.details dt{color:var(--muted)}dl.details dd{margin:0}
table.metrics{border-collapse:collapse;margin:8px 0 16px}
table.metrics th,table.metrics td{border-bottom:1px solid var(--line);padding:4px 12px;text-align:right}
table.metrics th:first-child,table.metrics td:first-child{text-align:left}
table.metrics thead th{border-bottom:2px solid var(--fg)}
.charts{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
svg.chart{max-width:100%;height:auto;font-size:11px}
svg .frame{fill:none;stroke:#888}svg .grid{stroke:#eee}svg .chance{stroke:#999;stroke-dasharray:4 4}
svg .curve,svg .series{fill:none;stroke-width:2}svg .tick{fill:var(--muted)}svg .axis-title{fill:var(--fg);font-size:12px}
svg .chart-title{font-size:13px;font-weight:600}svg .legend{font-size:12px}svg .count{font-size:13px;font-weight:600}
svg .cell{stroke:#fff}
.gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:16px;align-items:start}
figure{margin:0;border:1px solid var(--line);border-radius:8px;padding:8px}
figure.wrong{border-color:var(--bad)}
figure .pair{display:grid;grid-template-columns:1fr 1fr;gap:4px}
figure img{width:100%;height:auto;display:block;border-radius:4px;background:#000}
figcaption{font-size:13px;margin-top:6px}figcaption .pred.wrong{color:var(--bad);font-weight:600}
footer{color:var(--muted);font-size:12px;margin-top:40px}
`;

/**
 * Renders {@link ReportData} as one self-contained HTML page: inline CSS, inline SVG charts (confusion-matrix
 * heatmap with counts, ROC curves with AUC in the legend, training curves), images as data URIs. Nothing is
 * loaded from elsewhere and no script runs; every text from `data` is escaped. A pure function: works in Node
 * and browsers.
 *
 * @example
 * ```ts
 * const html = renderReport({
 *   title: 'Image quality: VGG-16 + ResNet-50',
 *   summary: { accuracy: 0.95, auc: 0.98 },
 *   confusionMatrix: { classes: ['good', 'poor'], counts: [[40, 2], [3, 35]] },
 * });
 * ```
 * @throws {@link ReportDataError} naming the field, for data that does not match {@link ReportData} or an image
 * that is not a data URI or base64 (file paths are resolved by the `report` command).
 */
export function renderReport(data: ReportData): string {
  validateReportData(data);
  const sections: string[] = [];
  const header = [`<h1>${escapeHtml(data.title)}</h1>`];
  if (data.subtitle !== undefined) header.push(`<p class="sub">${escapeHtml(data.subtitle)}</p>`);
  if (data.createdAt !== undefined) header.push(`<p class="sub">${escapeHtml(data.createdAt)}</p>`);
  if (data.summary !== undefined && Object.keys(data.summary).length > 0) {
    header.push(
      `<div class="cards">${Object.entries(data.summary)
        .map(
          ([k, v]) =>
            `<div class="card"><div class="k">${escapeHtml(k)}</div><div class="v">${escapeHtml(cell(v))}</div></div>`,
        )
        .join('')}</div>`,
    );
  }
  sections.push(`<header>${header.join('')}</header>`);

  if (data.details !== undefined && Object.keys(data.details).length > 0) {
    const rows = Object.entries(data.details).map(
      ([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(cell(v))}</dd>`,
    );
    sections.push(section('Model and data', `<dl class="details">${rows.join('')}</dl>`));
  }
  for (const table of data.tables ?? []) {
    const head = `<thead><tr><th></th>${table.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>`;
    const body = table.rows
      .map(
        (r) =>
          `<tr><td>${escapeHtml(r.label)}</td>${r.values.map((v) => `<td>${escapeHtml(cell(v))}</td>`).join('')}</tr>`,
      )
      .join('');
    sections.push(
      section(table.title ?? 'Metrics', `<table class="metrics">${head}<tbody>${body}</tbody></table>`),
    );
  }
  const charts: string[] = [];
  if (data.confusionMatrix !== undefined) {
    charts.push(
      figureBlock(
        data.confusionMatrix.title ?? 'Confusion matrix',
        confusionMatrixSvg(data.confusionMatrix),
        'rows: true class, columns: predicted class; shade: share of the true class',
      ),
    );
  }
  if (data.roc !== undefined && data.roc.curves.length > 0) {
    charts.push(figureBlock(data.roc.title ?? 'ROC curves', rocSvg(data.roc), ''));
  }
  if (charts.length > 0) sections.push(section('Evaluation', `<div class="charts">${charts.join('')}</div>`));
  if (data.training !== undefined) {
    const svgs = trainingCharts(data.training);
    if (svgs.length > 0)
      sections.push(section(data.training.title ?? 'Training', `<div class="charts">${svgs.join('')}</div>`));
  }
  if (data.gallery !== undefined && data.gallery.photos.length > 0) {
    const figures = data.gallery.photos.map((p, i) => {
      const field = `gallery.photos[${i}]`;
      const alt = escapeHtml(p.title ?? `photo ${i + 1}`);
      const images = [`<img src="${imageDataUri(p.image, `${field}.image`)}" alt="${alt}">`];
      if (p.overlay !== undefined)
        images.push(`<img src="${imageDataUri(p.overlay, `${field}.overlay`)}" alt="${alt}, Grad-CAM">`);
      const wrong = p.trueLabel !== undefined && p.predicted !== undefined && p.trueLabel !== p.predicted;
      const caption: string[] = [];
      if (p.title !== undefined) caption.push(`<div>${escapeHtml(p.title)}</div>`);
      if (p.trueLabel !== undefined) caption.push(`<div>true: ${escapeHtml(p.trueLabel)}</div>`);
      if (p.predicted !== undefined || p.score !== undefined) {
        const predicted = [p.predicted, p.score === undefined ? undefined : `(${formatNumber(p.score, 3)})`]
          .filter((s) => s !== undefined)
          .join(' ');
        caption.push(`<div class="pred${wrong ? ' wrong' : ''}">predicted: ${escapeHtml(predicted)}</div>`);
      }
      return `<figure${wrong ? ' class="wrong"' : ''}><div class="pair">${images.join('')}</div><figcaption>${caption.join('')}</figcaption></figure>`;
    });
    sections.push(
      section(data.gallery.title ?? 'Photos and Grad-CAM', `<div class="gallery">${figures.join('')}</div>`),
    );
  }
  sections.push(`<footer>Made with fundus-kit ${escapeHtml(FUNDUS_KIT_VERSION)}.</footer>`);

  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(data.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    ...sections,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function section(title: string, body: string): string {
  return `<section><h2>${escapeHtml(title)}</h2>${body}</section>`;
}

function figureBlock(title: string, svg: string, note: string): string {
  return `<div><h3>${escapeHtml(title)}</h3>${svg}${note === '' ? '' : `<p class="sub">${escapeHtml(note)}</p>`}</div>`;
}

function cell(value: number | string | boolean | null): string {
  if (value === null) return '';
  return typeof value === 'number' ? formatNumber(value, 4) : String(value);
}

/** The loss chart (series named `*loss*`) and the metrics chart (the rest), `val_x` dashed in `x`'s colour. */
function trainingCharts(training: ReportTraining): string[] {
  const names = Object.keys(training.history).filter((n) => (training.history[n] ?? []).length > 0);
  const base = (n: string) => (n.startsWith('val_') ? n.slice(4) : n);
  const bases = [...new Set(names.map(base))];
  const longest = Math.max(0, ...names.map((n) => training.history[n]!.length));
  const epochs = training.epochs ?? Array.from({ length: longest }, (_, i) => i + 1);
  const chart = (title: string, keep: (n: string) => boolean): string | undefined => {
    const series: LineSeries[] = names.filter(keep).map((n) => ({
      name: n,
      values: training.history[n]!,
      colour: bases.indexOf(base(n)),
      dashed: n.startsWith('val_'),
    }));
    return series.length === 0 ? undefined : lineChartSvg(title, epochs, series);
  };
  return [chart('Loss', (n) => n.includes('loss')), chart('Metrics', (n) => !n.includes('loss'))].filter(
    (s): s is string => s !== undefined,
  );
}
