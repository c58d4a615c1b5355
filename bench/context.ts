import type { BenchOptions } from './cli_args.js';
import { measure, type Step } from './harness.js';
import { memoryNote } from './machine_info.js';

/** A ratio between two rows of the same backend, e.g. train step / forward. */
export interface RatioSpec {
  /** id of the other row. */
  to: string;
  /** What the ratio means, e.g. 'train/fwd'. */
  label: string;
  /** true: other / this (a speedup of this row over the other); false: this / other. */
  speedup: boolean;
  /** A value the ratio should not exceed (shown in the table). */
  target?: number;
}

/** One benchmark case on the current backend. */
export interface CaseSpec {
  /** Stable key, unique per backend; ratios refer to it. */
  id: string;
  /** Printed name; `--only` matches it. */
  workload: string;
  /** Floating-point operations of one run (multiply-add = 2), for GFLOP/s. */
  gflop?: number;
  runs: number;
  warmups: number;
  /** A cheaper warm-up step than the timed one. */
  warmup?: Step;
  /** Takes minutes: skipped by `--quick`. */
  heavy?: boolean;
  note?: string;
  ratio?: RatioSpec;
  /** Name of the PyTorch reference figure to compare with. */
  torch?: string;
}

/** One line of the result. */
export interface Row {
  id: string;
  workload: string;
  backend: string;
  medianMs?: number;
  minMs?: number;
  timesMs?: number[];
  runs: number;
  warmups: number;
  gflop?: number;
  gflops?: number;
  leaked?: { tensors: number; dataIds: number } | null;
  note?: string;
  skipped?: string;
  error?: string;
  ratio?: RatioSpec & { value?: number };
  torch?: { name: string; ms?: number; ratio?: number };
  /** Throughput workloads: items per second, and against a reference run in the same bench. */
  throughput?: {
    items: number;
    perS: number;
    peakRssMiB?: number;
    reference?: { name: string; perS: number; ratio: number; target?: number };
  };
}

/** Runs and records the cases of one backend, honouring `--only` and `--quick`. */
export class BenchContext {
  constructor(
    readonly backend: string,
    readonly options: BenchOptions,
    private readonly rows: Row[],
  ) {}

  /** Whether a case with this name runs (so a workload can skip its setup). */
  selected(workload: string): boolean {
    const only = this.options.only;
    return only === undefined || `${workload} ${this.backend}`.toLowerCase().includes(only);
  }

  /** Times `step` (or records why not) and prints one progress line. Returns the row (undefined: not selected). */
  async time(spec: CaseSpec, step: Step): Promise<Row | undefined> {
    if (!this.selected(spec.workload)) return undefined;
    if (spec.heavy && this.options.quick) {
      this.skip(spec, 'skipped by --quick (takes minutes)');
      return undefined;
    }
    const quick = this.options.quick;
    const row = this.baseRow(spec);
    try {
      const t = await measure(step, {
        runs: quick ? 1 : spec.runs,
        warmups: quick ? Math.min(1, spec.warmups) : spec.warmups,
        ...(spec.warmup === undefined ? {} : { warmup: spec.warmup }),
      });
      Object.assign(row, {
        medianMs: t.medianMs,
        minMs: t.minMs,
        timesMs: t.timesMs,
        runs: t.runs,
        warmups: t.warmups,
        leaked: t.leaked,
      });
      if (spec.gflop !== undefined) row.gflops = spec.gflop / (t.medianMs / 1000);
      if (t.leaked !== null && (t.leaked.tensors !== 0 || t.leaked.dataIds !== 0)) {
        row.note = [row.note, `LEAK: +${t.leaked.tensors} tensors, +${t.leaked.dataIds} buffers`]
          .filter(Boolean)
          .join('; ');
      }
    } catch (e) {
      const message = e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : String(e);
      row.error = `${message} (at the failure: ${memoryNote(this.backend)})`;
    }
    this.rows.push(row);
    const what =
      row.error === undefined
        ? `median ${row.medianMs!.toFixed(1)} ms, min ${row.minMs!.toFixed(1)} ms (${row.runs} runs)`
        : `ERROR ${row.error}`;
    console.log(`  ${this.backend.padEnd(4)} ${spec.workload}: ${what}`);
    return row;
  }

  /** Records a case that is not run, with the reason. */
  skip(spec: Pick<CaseSpec, 'id' | 'workload'> & Partial<CaseSpec>, reason: string): void {
    if (!this.selected(spec.workload)) return;
    this.rows.push({ ...this.baseRow(spec), runs: 0, warmups: 0, skipped: reason });
    console.log(`  ${this.backend.padEnd(4)} ${spec.workload}: ${reason}`);
  }

  private baseRow(spec: Partial<CaseSpec> & Pick<CaseSpec, 'id' | 'workload'>): Row {
    const row: Row = {
      id: spec.id,
      workload: spec.workload,
      backend: this.backend,
      runs: spec.runs ?? 0,
      warmups: spec.warmups ?? 0,
    };
    if (spec.gflop !== undefined) row.gflop = spec.gflop;
    if (spec.note !== undefined) row.note = spec.note;
    if (spec.ratio !== undefined) row.ratio = { ...spec.ratio };
    if (spec.torch !== undefined) row.torch = { name: spec.torch };
    return row;
  }
}
