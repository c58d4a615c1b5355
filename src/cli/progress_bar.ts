/** Where a {@link ProgressBar} draws: `process.stderr`, or anything with `write` (and `isTTY`). */
export interface ProgressStream {
  write(text: string): unknown;
  /** Redraw in place only when this is true. */
  isTTY?: boolean;
  /** Terminal width, to keep the bar on one line. */
  columns?: number;
}

/** Arguments of {@link ProgressBar}. */
export interface ProgressBarArgs {
  /** Number of steps (files, batches) in all; at least 0. */
  total: number;
  /** Word before the bar: `'preprocess'`. @defaultValue `''` */
  label?: string;
  /** Where to draw. @defaultValue `process.stderr` */
  stream?: ProgressStream;
  /**
   * When the stream is not a TTY, print one line each time this many percent more are done (0: nothing until
   * the end). Ignored on a TTY, where the bar is redrawn in place.
   * @defaultValue 10
   */
  everyPercent?: number;
  /** Clock in milliseconds (tests pass a fake one). @defaultValue `performance.now` */
  now?: () => number;
  /** Least time between two redraws on a TTY, in milliseconds. @defaultValue 100 */
  redrawMs?: number;
}

/** `m:ss`, or `h:mm:ss` from an hour. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?:??';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * A progress bar with rate and ETA for long CLI work, drawn on stderr so stdout stays clean for results.
 * On a TTY it is redrawn in place (at most every `redrawMs`); otherwise (a log file, CI) it prints a line
 * every `everyPercent` percent, or nothing until {@link ProgressBar.done}.
 */
export class ProgressBar {
  private readonly total: number;
  private readonly label: string;
  private readonly stream: ProgressStream;
  private readonly everyPercent: number;
  private readonly now: () => number;
  private readonly redrawMs: number;
  private readonly start: number;
  private count = 0;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private lastStep = 0;
  private finished = false;

  constructor(args: ProgressBarArgs) {
    if (!Number.isInteger(args.total) || args.total < 0) {
      throw new RangeError(`ProgressBar: total must be an integer ≥ 0, but got ${args.total}.`);
    }
    this.total = args.total;
    this.label = args.label ?? '';
    this.stream = args.stream ?? process.stderr;
    this.everyPercent = args.everyPercent ?? 10;
    this.now = args.now ?? (() => performance.now());
    this.redrawMs = args.redrawMs ?? 100;
    this.start = this.now();
  }

  /** Steps done so far. */
  get completed(): number {
    return this.count;
  }

  /** Seconds left at the rate so far, or `undefined` before the first step. */
  eta(): number | undefined {
    if (this.count === 0) return undefined;
    const elapsed = (this.now() - this.start) / 1000;
    return (elapsed / this.count) * (this.total - this.count);
  }

  /** Marks `steps` more as done; `detail` (e.g. the current file) is shown on a TTY. */
  tick(steps = 1, detail = ''): void {
    if (this.finished) return;
    this.count = Math.min(this.total, this.count + steps);
    if (this.stream.isTTY) {
      const t = this.now();
      if (t - this.lastDraw >= this.redrawMs || this.count === this.total) {
        this.lastDraw = t;
        this.stream.write(`\r${this.barLine(detail)}\x1b[K`);
      }
      return;
    }
    if (this.everyPercent <= 0 || this.total === 0) return;
    const step = Math.floor((this.count / this.total) * (100 / this.everyPercent));
    if (step > this.lastStep && this.count < this.total) {
      this.lastStep = step;
      this.stream.write(`${this.textLine()}\n`);
    }
  }

  /** Draws the final state and ends the line. Idempotent. */
  done(): void {
    if (this.finished) return;
    this.finished = true;
    const elapsed = formatDuration((this.now() - this.start) / 1000);
    const prefix = this.label === '' ? '' : `${this.label}: `;
    if (this.stream.isTTY) this.stream.write(`\r${prefix}${this.count}/${this.total} in ${elapsed}\x1b[K\n`);
    else this.stream.write(`${prefix}${this.count}/${this.total} in ${elapsed}\n`);
  }

  private percent(): number {
    return this.total === 0 ? 100 : Math.floor((this.count / this.total) * 100);
  }

  private rate(): string {
    const seconds = (this.now() - this.start) / 1000;
    if (seconds <= 0 || this.count === 0) return '';
    const perSecond = this.count / seconds;
    return perSecond >= 1 ? `${perSecond.toFixed(1)}/s` : `${(1 / perSecond).toFixed(1)}s each`;
  }

  /** `label [#####-----] 45/120 37% 3.2/s ETA 0:21 detail`, cut to the terminal width. */
  barLine(detail = ''): string {
    const width = 24;
    const filled = this.total === 0 ? width : Math.round((this.count / this.total) * width);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
    const eta = this.eta();
    const parts = [
      this.label,
      bar,
      `${this.count}/${this.total}`,
      `${this.percent()}%`,
      this.rate(),
      eta === undefined ? '' : `ETA ${formatDuration(eta)}`,
      detail,
    ].filter((p) => p !== '');
    const line = parts.join(' ');
    // Some pseudo-terminals report 0 columns: treat that as unknown.
    const columns = this.stream.columns !== undefined && this.stream.columns > 0 ? this.stream.columns : 100;
    return line.length >= columns ? line.slice(0, Math.max(0, columns - 1)) : line;
  }

  /** `label: 12/120 (10%), ETA 0:45` for logs. */
  textLine(): string {
    const eta = this.eta();
    const prefix = this.label === '' ? '' : `${this.label}: `;
    return `${prefix}${this.count}/${this.total} (${this.percent()}%)${eta === undefined ? '' : `, ETA ${formatDuration(eta)}`}`;
  }
}
