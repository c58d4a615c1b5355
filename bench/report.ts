import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Row } from './context.js';

const HEADER = ['workload', 'backend', 'median ms', 'min ms', 'runs', 'GFLOP/s', 'ratio', 'vs torch', 'note'];

function ms(v: number | undefined): string {
  if (v === undefined) return '-';
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}

function ratioCell(row: Row): string {
  const r = row.ratio;
  if (r?.value === undefined) return '';
  const target =
    r.target === undefined ? '' : ` (target <= ${r.target}x: ${r.value <= r.target ? 'met' : 'MISSED'})`;
  return `${r.value.toFixed(2)}x ${r.label}${target}`;
}

function torchCell(row: Row): string {
  const t = row.torch;
  if (t?.ratio === undefined) return '';
  return `${t.ratio.toFixed(2)}x (torch ${ms(t.ms)} ms)`;
}

function cells(row: Row): string[] {
  const note = [row.error === undefined ? '' : `ERROR ${row.error}`, row.skipped ?? '', row.note ?? '']
    .filter(Boolean)
    .join('; ');
  return [
    row.workload,
    row.backend,
    ms(row.medianMs),
    ms(row.minMs),
    row.skipped === undefined && row.error === undefined ? String(row.runs) : '-',
    row.gflops === undefined ? '' : row.gflops.toFixed(2),
    ratioCell(row),
    torchCell(row),
    note,
  ];
}

/** The result as a Markdown table (ratios: "x" = times). */
export function formatTable(rows: Row[]): string {
  const table = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    line(HEADER),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map((r) => line(cells(r))),
  ].join('\n');
}

/** Writes the machine-readable result file (creating its folder). */
export function writeResults(file: string, payload: unknown): string {
  const abs = path.resolve(file);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, `${JSON.stringify(payload, null, 2)}\n`);
  return abs;
}
