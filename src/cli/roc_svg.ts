import { escapeHtml } from './escape_html.js';
import type { ReportRoc, ReportRocCurve } from './report_data.js';
import { formatNumber, PALETTE, points, scale, svgText } from './svg_chart_parts.js';

/**
 * Area under a ROC curve by the trapezoid rule over its points sorted by false positive rate (ties by true
 * positive rate), with (0, 0) and (1, 1) added when missing.
 */
export function rocAuc(curve: Pick<ReportRocCurve, 'fpr' | 'tpr'>): number {
  const pts = curve.fpr.map((x, i) => [x, curve.tpr[i]!] as [number, number]);
  pts.push([0, 0], [1, 1]);
  pts.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let area = 0;
  for (let i = 1; i < pts.length; i++) {
    const [x0, y0] = pts[i - 1]!;
    const [x1, y1] = pts[i]!;
    area += ((x1 - x0) * (y0 + y1)) / 2;
  }
  return area;
}

/** ROC curves as an SVG chart: one polyline per curve, the chance diagonal, and a legend with each AUC. */
export function rocSvg(roc: ReportRoc): string {
  const size = 320;
  const margin = { left: 48, top: 12, bottom: 58 };
  const legendRow = 18;
  const legendTop = margin.top + size + margin.bottom;
  const width = margin.left + size + 16;
  const height = legendTop + roc.curves.length * legendRow + 8;
  const x = scale(0, 1, margin.left, margin.left + size);
  const y = scale(0, 1, margin.top + size, margin.top);
  const parts: string[] = [
    `<svg class="chart roc" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="ROC curves">`,
    `<rect x="${margin.left}" y="${margin.top}" width="${size}" height="${size}" class="frame"/>`,
  ];
  for (let t = 0; t <= 1.0001; t += 0.2) {
    const label = formatNumber(t, 1);
    parts.push(
      `<line class="grid" x1="${x(t)}" y1="${margin.top}" x2="${x(t)}" y2="${margin.top + size}"/>`,
      `<line class="grid" x1="${margin.left}" y1="${y(t)}" x2="${margin.left + size}" y2="${y(t)}"/>`,
      svgText(x(t), margin.top + size + 14, label, 'class="tick" text-anchor="middle"'),
      svgText(margin.left - 6, y(t) + 4, label, 'class="tick" text-anchor="end"'),
    );
  }
  parts.push(
    `<line class="chance" x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}"/>`,
    svgText(
      margin.left + size / 2,
      margin.top + size + 32,
      'false positive rate',
      'class="axis-title" text-anchor="middle"',
    ),
    svgText(
      14,
      margin.top + size / 2,
      'true positive rate',
      `class="axis-title" text-anchor="middle" transform="rotate(-90 14 ${margin.top + size / 2})"`,
    ),
  );
  roc.curves.forEach((curve, i) => {
    const colour = PALETTE[i % PALETTE.length]!;
    const auc = curve.auc ?? rocAuc(curve);
    const order = curve.fpr
      .map((_, k) => k)
      .sort((a, b) => curve.fpr[a]! - curve.fpr[b]! || curve.tpr[a]! - curve.tpr[b]!);
    const xs = order.map((k) => x(curve.fpr[k]!));
    const ys = order.map((k) => y(curve.tpr[k]!));
    const legend = `${curve.label} (AUC ${formatNumber(auc, 3)})`;
    const ly = legendTop + i * legendRow;
    parts.push(
      `<polyline class="curve" points="${points(xs, ys)}" stroke="${colour}"><title>${escapeHtml(legend)}</title></polyline>`,
      `<line x1="${margin.left}" y1="${ly - 4}" x2="${margin.left + 22}" y2="${ly - 4}" stroke="${colour}" stroke-width="3"/>`,
      svgText(margin.left + 28, ly, legend, 'class="legend"'),
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
