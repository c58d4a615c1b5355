import { escapeHtml } from './escape_html.js';
import { formatNumber, niceTicks, PALETTE, points, scale, svgText } from './svg_chart_parts.js';

/** One line of a {@link lineChartSvg}. */
export interface LineSeries {
  name: string;
  values: readonly number[];
  /** Index into the palette (a validation series shares its training series' colour). */
  colour: number;
  dashed: boolean;
}

/**
 * A line chart of per-epoch values as SVG: one polyline with point markers per series, round y ticks,
 * the epochs on x, and a legend.
 */
export function lineChartSvg(
  title: string,
  epochs: readonly number[],
  series: readonly LineSeries[],
): string {
  const plotW = 360;
  const plotH = 220;
  const margin = { left: 56, top: 28, bottom: 52 };
  const legendRow = 18;
  const legendTop = margin.top + plotH + margin.bottom;
  const width = margin.left + plotW + 16;
  const height = legendTop + series.length * legendRow + 8;
  const all = series.flatMap((s) => s.values.filter(Number.isFinite));
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (lo === hi) {
    lo -= Math.abs(lo) * 0.1 + 0.5;
    hi += Math.abs(hi) * 0.1 + 0.5;
  }
  // Widen the range to whole tick steps, so the top and bottom lines carry a label.
  const inner = niceTicks(lo, hi, 5);
  const step = inner.length > 1 ? inner[1]! - inner[0]! : Math.abs(hi - lo);
  const y0 = Math.floor(lo / step + 1e-9) * step;
  const y1 = Math.ceil(hi / step - 1e-9) * step;
  const ticks = niceTicks(y0, y1, Math.round((y1 - y0) / step));
  const maxEpochs = Math.max(...series.map((s) => s.values.length));
  const ex = epochs.slice(0, maxEpochs);
  const x = scale(ex[0] ?? 1, ex[ex.length - 1] ?? 1, margin.left, margin.left + plotW);
  const y = scale(y0, y1, margin.top + plotH, margin.top);
  const parts: string[] = [
    `<svg class="chart line" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}">`,
    svgText(margin.left, 16, title, 'class="chart-title"'),
    `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" class="frame"/>`,
  ];
  for (const t of ticks) {
    parts.push(
      `<line class="grid" x1="${margin.left}" y1="${y(t).toFixed(2)}" x2="${margin.left + plotW}" y2="${y(t).toFixed(2)}"/>`,
      svgText(margin.left - 6, y(t) + 4, formatNumber(t, 4), 'class="tick" text-anchor="end"'),
    );
  }
  const xTicks = ex.length <= 12 ? ex : niceTicks(ex[0]!, ex[ex.length - 1]!, 8);
  for (const e of xTicks)
    parts.push(
      svgText(x(e), margin.top + plotH + 14, formatNumber(e, 2), 'class="tick" text-anchor="middle"'),
    );
  parts.push(
    svgText(
      margin.left + plotW / 2,
      margin.top + plotH + 32,
      'epoch',
      'class="axis-title" text-anchor="middle"',
    ),
  );
  series.forEach((s, i) => {
    const colour = PALETTE[s.colour % PALETTE.length]!;
    const kept = s.values.map((v, k) => [ex[k]!, v] as const).filter(([, v]) => Number.isFinite(v));
    const xs = kept.map(([e]) => x(e));
    const ys = kept.map(([, v]) => y(v));
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    parts.push(
      `<polyline class="series" points="${points(xs, ys)}" stroke="${colour}"${dash}><title>${escapeHtml(s.name)}</title></polyline>`,
    );
    kept.forEach(([e, v], k) => {
      parts.push(
        `<circle cx="${xs[k]!.toFixed(2)}" cy="${ys[k]!.toFixed(2)}" r="2.5" fill="${colour}"><title>${escapeHtml(`${s.name}, epoch ${formatNumber(e, 2)}: ${formatNumber(v, 4)}`)}</title></circle>`,
      );
    });
    const ly = legendTop + i * legendRow;
    parts.push(
      `<line x1="${margin.left}" y1="${ly - 4}" x2="${margin.left + 22}" y2="${ly - 4}" stroke="${colour}" stroke-width="3"${dash}/>`,
      svgText(margin.left + 28, ly, s.name, 'class="legend"'),
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
