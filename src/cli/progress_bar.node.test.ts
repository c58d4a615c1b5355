import { describe, expect, it } from 'vitest';
import { formatDuration, ProgressBar } from './progress_bar.js';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, isTTY, columns: 200, write: (text: string) => writes.push(text) };
}

describe('ProgressBar', () => {
  it('formats durations as m:ss and h:mm:ss', () => {
    expect([
      formatDuration(0),
      formatDuration(59.4),
      formatDuration(61),
      formatDuration(3725),
      formatDuration(Number.NaN),
    ]).toEqual(['0:00', '0:59', '1:01', '1:02:05', '?:??']);
  });

  it('estimates the time left from the rate so far', () => {
    let t = 0;
    const s = stream(false);
    const bar = new ProgressBar({ total: 10, stream: s, now: () => t });
    expect(bar.eta()).toBeUndefined();
    t = 4000;
    bar.tick(2);
    // 2 steps in 4 s → 2 s each → 8 left → 16 s.
    expect(bar.eta()).toBeCloseTo(16, 10);
    expect(bar.completed).toBe(2);
  });

  it('off a TTY prints a plain line every 10 % and a last line, with no carriage returns', () => {
    let t = 0;
    const s = stream(false);
    const bar = new ProgressBar({ total: 20, label: 'preprocess', stream: s, now: () => t });
    for (let i = 0; i < 20; i++) {
      t += 500;
      bar.tick();
    }
    bar.done();
    bar.done();
    // A line at 2, 4, …, 18 of 20 (10 % steps), none at 20/20 (done() says it), one final line.
    expect(s.writes).toHaveLength(10);
    expect(s.writes[0]).toBe('preprocess: 2/20 (10%), ETA 0:09\n');
    expect(s.writes[8]).toBe('preprocess: 18/20 (90%), ETA 0:01\n');
    expect(s.writes[9]).toBe('preprocess: 20/20 in 0:10\n');
    expect(s.writes.join('')).not.toContain('\r');
  });

  it('off a TTY with everyPercent 0 prints only the last line', () => {
    const s = stream(false);
    const bar = new ProgressBar({ total: 3, stream: s, everyPercent: 0, now: () => 0 });
    bar.tick(3);
    bar.done();
    expect(s.writes).toEqual(['3/3 in 0:00\n']);
  });

  it('on a TTY redraws one line in place, at most every redrawMs, and always at the end', () => {
    let t = 0;
    const s = stream(true);
    const bar = new ProgressBar({ total: 4, label: 'p', stream: s, now: () => t, redrawMs: 100 });
    t = 1000;
    bar.tick(1, 'a.jpg');
    t = 1050; // too soon: no redraw
    bar.tick(1, 'b.jpg');
    t = 2000;
    bar.tick(1, 'c.jpg');
    t = 2010; // the last step always draws
    bar.tick(1, 'd.jpg');
    bar.done();
    expect(s.writes).toHaveLength(4);
    for (const w of s.writes) expect(w.startsWith('\r')).toBe(true);
    expect(s.writes[0]).toBe('\rp [######------------------] 1/4 25% 1.0/s ETA 0:03 a.jpg\x1b[K');
    expect(s.writes[1]).toContain('3/4 75%');
    expect(s.writes[2]).toContain('[########################] 4/4 100%');
    expect(s.writes[3]).toBe('\rp: 4/4 in 0:02\x1b[K\n');
  });

  it('cuts the bar to the terminal width', () => {
    const s = { ...stream(true), columns: 30 };
    const bar = new ProgressBar({ total: 2, label: 'preprocess', stream: s, now: () => 0 });
    expect(bar.barLine('a-very-long-file-name.jpg').length).toBe(29);
    // A terminal that reports 0 columns (some pseudo-terminals) still gets a bar.
    const unknown = new ProgressBar({
      total: 2,
      label: 'p',
      stream: { ...stream(true), columns: 0 },
      now: () => 0,
    });
    expect(unknown.barLine()).toBe('p [------------------------] 0/2 0%');
  });

  it('rejects a bad total', () => {
    expect(() => new ProgressBar({ total: -1 })).toThrow(
      'ProgressBar: total must be an integer ≥ 0, but got -1.',
    );
  });
});
