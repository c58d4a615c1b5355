import { escapeHtml } from './escape_html.js';

/** Colours of series and curves (colour-blind-safe, Okabe-Ito). */
export const PALETTE = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#F0E442',
  '#000000',
];

/** A number with at most `digits` decimals, trailing zeros dropped (`0.5`, `0.934`, `12`). */
export function formatNumber(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const fixed = Math.abs(value) >= 1000 ? value.toFixed(0) : value.toFixed(digits);
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

/** Round tick values inside [min, max], about `count` intervals apart (1, 2 or 5 × a power of ten). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  // The round step whose number of intervals is closest to `count`.
  const span = max - min;
  const step = [1, 2, 5, 10]
    .map((m) => m * power)
    .reduce((best, s) => (Math.abs(span / s - count) < Math.abs(span / best - count) ? s : best));
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) {
    ticks.push(Number(v.toPrecision(12)));
  }
  return ticks;
}

/** Linear map from [d0, d1] to [r0, r1]. */
export function scale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0 === 0 ? 1 : d1 - d0;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** `x,y x,y …` with 2 decimals, for `<polyline points>`. */
export function points(xs: readonly number[], ys: readonly number[]): string {
  return xs.map((x, i) => `${x.toFixed(2)},${ys[i]!.toFixed(2)}`).join(' ');
}

/** An SVG `<text>` element with escaped content. */
export function svgText(x: number, y: number, content: string, attributes = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}"${attributes === '' ? '' : ` ${attributes}`}>${escapeHtml(content)}</text>`;
}
