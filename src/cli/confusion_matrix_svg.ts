import { escapeHtml } from './escape_html.js';
import type { ReportConfusionMatrix } from './report_data.js';
import { formatNumber, svgText } from './svg_chart_parts.js';

/** White → dark blue by `t` in [0, 1]. */
function blue(t: number): string {
  const from = [247, 251, 255];
  const to = [8, 48, 107];
  const c = from.map((f, i) => Math.round(f + (to[i]! - f) * Math.min(1, Math.max(0, t))));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/**
 * The confusion matrix as an SVG heatmap: one cell per (true, predicted) pair, shaded by the share of the
 * true class's photos (row-normalised, so rare classes read as clearly as common ones), with the count written
 * in it and the share in its tooltip. Rows: true class; columns: predicted class.
 */
export function confusionMatrixSvg(matrix: ReportConfusionMatrix): string {
  const { classes, counts } = matrix;
  const n = classes.length;
  const cell = Math.max(28, Math.min(64, Math.floor(480 / n)));
  const labelWidth = Math.min(160, 16 + 7 * Math.max(...classes.map((c) => c.length)));
  const top = 28 + labelWidth; // room for the rotated column labels
  const left = 24 + labelWidth;
  const width = left + n * cell + 8;
  const height = top + n * cell + 8;
  const parts: string[] = [
    `<svg class="chart confusion" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Confusion matrix">`,
    svgText(left + (n * cell) / 2, 14, 'predicted', 'class="axis-title" text-anchor="middle"'),
    svgText(
      12,
      top + (n * cell) / 2,
      'true',
      `class="axis-title" text-anchor="middle" transform="rotate(-90 12 ${top + (n * cell) / 2})"`,
    ),
  ];
  classes.forEach((name, j) => {
    const x = left + j * cell + cell / 2;
    const y = top - 6;
    parts.push(svgText(x, y, name, `class="tick" text-anchor="start" transform="rotate(-60 ${x} ${y})"`));
  });
  for (let i = 0; i < n; i++) {
    const row = counts[i]!;
    const total = row.reduce((a, b) => a + b, 0);
    parts.push(
      svgText(left - 6, top + i * cell + cell / 2 + 4, classes[i]!, 'class="tick" text-anchor="end"'),
    );
    for (let j = 0; j < n; j++) {
      const count = row[j]!;
      const share = total === 0 ? 0 : count / total;
      const x = left + j * cell;
      const y = top + i * cell;
      const tip = `true ${classes[i]}, predicted ${classes[j]}: ${count} (${formatNumber(share * 100, 1)} % of ${classes[i]})`;
      parts.push(
        `<rect class="cell" x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${blue(share)}"><title>${escapeHtml(tip)}</title></rect>`,
        svgText(
          x + cell / 2,
          y + cell / 2 + 4,
          String(count),
          `class="count" text-anchor="middle" fill="${share > 0.5 ? '#fff' : '#111'}"`,
        ),
      );
    }
  }
  parts.push('</svg>');
  return parts.join('');
}
