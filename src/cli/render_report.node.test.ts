import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml } from './escape_html.js';
import { resolveReportImages } from './node/resolve_report_images.js';
import { renderReport } from './render_report.js';
import { type ReportData, ReportDataError, validateReportData } from './report_data.js';
import { rocAuc } from './roc_svg.js';
import { runCli } from './run_cli.js';
import { formatNumber, niceTicks } from './svg_chart_parts.js';

let tmp: string;
let png: Buffer;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'fundus-report-'));
  png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#c04020' } })
    .png()
    .toBuffer();
  await writeFile(join(tmp, 'photo.png'), png);
  await writeFile(join(tmp, 'notes.png'), 'not a png');
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function data(): ReportData {
  return {
    title: 'Quality <script>alert(1)</script>',
    subtitle: 'held-out & "val"',
    summary: { accuracy: 0.9712, backbones: 'vgg16 + resnet50' },
    details: { task: 'binary', crop: true },
    tables: [
      { title: 'Branches', columns: ['accuracy', 'auc'], rows: [{ label: 'joint', values: [0.95, null] }] },
    ],
    confusionMatrix: {
      classes: ['good', '<b>poor</b>', 'reject'],
      counts: [
        [12, 3, 0],
        [1, 9, 0],
        [0, 0, 5],
      ],
    },
    roc: {
      curves: [
        { label: 'good', fpr: [0, 0.2, 1], tpr: [0, 0.6, 1] },
        { label: 'poor', fpr: [0, 0.1, 1], tpr: [0, 0.9, 1], auc: 0.934 },
      ],
    },
    training: {
      history: {
        loss: [0.9, 0.5, 0.3],
        val_loss: [1, 0.7, 0.6],
        acc: [0.6, 0.8, 0.9],
        val_acc: [0.5, 0.7, 0.8],
      },
    },
    gallery: {
      photos: [
        {
          image: `data:image/png;base64,${png.toString('base64')}`,
          overlay: png.toString('base64'),
          title: 'a.jpg',
          trueLabel: 'good',
          predicted: 'poor',
          score: 0.81,
        },
      ],
    },
  };
}

const count = (text: string, needle: string | RegExp) => text.split(needle).length - 1;

describe('renderReport', () => {
  it('is one self-contained page: inline CSS and SVG, no script, no URL anywhere', () => {
    const html = renderReport(data());
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(count(html, '<style>')).toBe(1);
    expect(html.toLowerCase()).not.toContain('<script');
    expect(html.toLowerCase()).not.toContain('http');
    expect(html).not.toMatch(/url\(|@import|<link|href=/i);
    for (const src of html.matchAll(/src="([^"]*)"/g))
      expect(src[1]!.startsWith('data:image/png;base64,')).toBe(true);
    expect(count(html, '<svg class="chart confusion"')).toBe(1);
    expect(count(html, '<svg class="chart roc"')).toBe(1);
    expect(count(html, '<svg class="chart line"')).toBe(2);
    expect(count(html, '<svg')).toBe(count(html, '</svg>'));
  });

  it('escapes every text from the data', () => {
    const html = renderReport(data());
    expect(html).toContain('<title>Quality &lt;script&gt;alert(1)&lt;/script&gt;</title>');
    expect(html).toContain('<h1>Quality &lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(html).toContain('held-out &amp; &quot;val&quot;');
    expect(html).toContain('&lt;b&gt;poor&lt;/b&gt;</text>');
    expect(html).not.toContain('<b>poor</b>');
    expect(escapeHtml(`<a href='x'>&"`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&quot;');
  });

  it('draws the confusion matrix as n² cells with the counts, shaded by the share of the true class', () => {
    const html = renderReport(data());
    const svg = html.slice(
      html.indexOf('<svg class="chart confusion"'),
      html.indexOf('</svg>', html.indexOf('chart confusion')),
    );
    expect(count(svg, '<rect class="cell"')).toBe(9);
    const counts = [...svg.matchAll(/class="count"[^>]*>(\d+)<\/text>/g)].map((m) => Number(m[1]));
    expect(counts).toEqual([12, 3, 0, 1, 9, 0, 0, 0, 5]);
    // reject row: 5 of 5 on the diagonal → the darkest blue; good row: 12 of 15 = 0.8.
    expect(svg).toContain(
      'fill="rgb(8,48,107)"><title>true reject, predicted reject: 5 (100 % of reject)</title>',
    );
    const shade = (t: number) =>
      [247, 251, 255].map((f, i) => Math.round(f + ([8, 48, 107][i]! - f) * t)).join(',');
    expect(svg).toContain(
      `fill="rgb(${shade(0.8)})"><title>true good, predicted good: 12 (80 % of good)</title>`,
    );
  });

  it('shows each ROC curve with its AUC, computed by the trapezoid rule when not given', () => {
    expect(rocAuc({ fpr: [0, 0.2, 1], tpr: [0, 0.6, 1] })).toBeCloseTo(0.2 * 0.3 + 0.8 * 0.8, 12);
    expect(rocAuc({ fpr: [1, 0, 0.5], tpr: [1, 0, 0.5] })).toBeCloseTo(0.5, 12);
    expect(rocAuc({ fpr: [0, 0, 1], tpr: [0, 1, 1] })).toBeCloseTo(1, 12);
    const html = renderReport(data());
    expect(html).toContain('>good (AUC 0.7)</text>');
    expect(html).toContain('>poor (AUC 0.934)</text>');
    expect(count(html, '<polyline class="curve"')).toBe(2);
  });

  it('splits training history into a loss chart and a metrics chart, validation dashed', () => {
    const html = renderReport(data());
    const series = [
      ...html.matchAll(
        /<polyline class="series" points="([^"]*)" stroke="([^"]*)"( stroke-dasharray="6 4")?><title>([^<]*)</g,
      ),
    ];
    expect(series.map((m) => m[4])).toEqual(['loss', 'val_loss', 'acc', 'val_acc']);
    expect(series.map((m) => m[3] !== undefined)).toEqual([false, true, false, true]);
    expect(series[0]![2]).toBe(series[1]![2]); // val_loss in loss's colour
    for (const m of series) expect(m[1]!.split(' ')).toHaveLength(3);
    // The loss line falls: y (SVG, downward) grows along it.
    const ys = series[0]![1]!.split(' ').map((p) => Number(p.split(',')[1]));
    expect(ys[0]!).toBeLessThan(ys[1]!);
    expect(ys[1]!).toBeLessThan(ys[2]!);
  });

  it('marks a wrong prediction and embeds base64 as a data URI', () => {
    const html = renderReport(data());
    expect(html).toContain('<figure class="wrong">');
    expect(html).toContain(
      `<img src="data:image/png;base64,${png.toString('base64')}" alt="a.jpg, Grad-CAM">`,
    );
    expect(html).toContain('predicted: poor (0.81)');
  });

  it('refuses paths and URLs as images (no external loads), naming the field', () => {
    const withImage = (image: string) => ({ ...data(), gallery: { photos: [{ image }] } });
    expect(() => renderReport(withImage('photo.png'))).toThrow(ReportDataError);
    expect(() => renderReport(withImage('https://example.org/x.png'))).toThrow(
      /gallery\.photos\[0\]\.image must be a data URI/,
    );
    expect(() => renderReport(withImage('data:text/html;base64,PHNjcmlwdD4='))).toThrow(
      /gallery\.photos\[0\]\.image/,
    );
  });
});

describe('chart helpers', () => {
  it('round ticks and short numbers', () => {
    expect(niceTicks(0.33, 0.95, 5)).toEqual([0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(3, 97, 4)).toEqual([20, 40, 60, 80]);
    expect([
      formatNumber(0.5),
      formatNumber(0.93456),
      formatNumber(12),
      formatNumber(1.2e-5, 3),
      formatNumber(2500.4),
    ]).toEqual(['0.5', '0.935', '12', '0', '2500']);
  });
});

describe('validateReportData', () => {
  const error = (value: unknown): ReportDataError => {
    try {
      validateReportData(value);
    } catch (e) {
      expect(e).toBeInstanceOf(ReportDataError);
      return e as ReportDataError;
    }
    throw new Error('no error');
  };

  it('names the field at fault', () => {
    expect(error({}).message).toBe(
      'Report data: title must be a string, but got nothing (the field is missing).',
    );
    const roc = error({ title: 't', roc: { curves: [{ label: 'a', fpr: [0, 0.5, 1], tpr: [0, 1] }] } });
    expect(roc.field).toBe('roc.curves[0].tpr');
    expect(roc.message).toBe(
      'Report data: roc.curves[0].tpr must have as many values as fpr (3), but has 2.',
    );
    expect(error({ title: 't', roc: { curves: [{ label: 'a', fpr: [0, 1.5], tpr: [0, 1] }] } }).field).toBe(
      'roc.curves[0].fpr[1]',
    );
    expect(error({ title: 't', confusionMatrix: { classes: ['a', 'b'], counts: [[1, 2], [3]] } }).field).toBe(
      'confusionMatrix.counts[1]',
    );
    expect(
      error({
        title: 't',
        confusionMatrix: {
          classes: ['a', 'b'],
          counts: [
            [1, 2],
            [3, 0.5],
          ],
        },
      }).field,
    ).toBe('confusionMatrix.counts[1][1]');
    expect(
      error({ title: 't', tables: [{ columns: ['a'], rows: [{ label: 'r', values: [1, 2] }] }] }).field,
    ).toBe('tables[0].rows[0].values');
    expect(error({ title: 't', training: { history: { loss: [1, 'x'] } } }).field).toBe(
      'training.history.loss[1]',
    );
    expect(error({ title: 't', gallery: { photos: [{ title: 'x' }] } }).field).toBe(
      'gallery.photos[0].image',
    );
  });
});

describe('fundus-kit report', () => {
  it('inlines image files named relative to the JSON and writes one HTML file', async () => {
    const json = join(tmp, 'results.json');
    await writeFile(
      json,
      JSON.stringify({ title: 'Run 1', gallery: { photos: [{ image: 'photo.png', title: 'p' }] } }),
    );
    const out: string[] = [];
    const io = {
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => out.push(t) },
    };
    expect(await runCli(['report', json, '--title', 'Run <1>'], io)).toBe(0);
    const html = await readFile(join(tmp, 'results.html'), 'utf8');
    expect(html).toContain('<h1>Run &lt;1&gt;</h1>');
    expect(html).toContain(`src="data:image/png;base64,${png.toString('base64')}"`);
    expect(out.join('')).toMatch(/^report: wrote .*results\.html \(\d+ KiB\)\n$/);
  });

  it('reports a bad image file, bad JSON (exit 1) and a missing file (exit 2)', async () => {
    const resolved = resolveReportImages({ title: 't', gallery: { photos: [{ image: 'notes.png' }] } }, tmp);
    await expect(resolved).rejects.toThrow('gallery.photos[0].image names');
    await expect(
      resolveReportImages({ title: 't', gallery: { photos: [{ image: 'http://x/y.png' }] } }, tmp),
    ).rejects.toThrow('is a URL');
    const bad = join(tmp, 'bad.json');
    await writeFile(bad, '{"title": ');
    const err: string[] = [];
    const io = { stdout: { write: () => 0 }, stderr: { write: (t: string) => err.push(t) } };
    expect(await runCli(['report', bad], io)).toBe(1);
    expect(err.join('')).toContain('bad.json is not valid JSON');
    expect(await runCli(['report', join(tmp, 'none.json')], io)).toBe(2);
    expect(err.join('')).toContain("cannot read '");
  });
});
