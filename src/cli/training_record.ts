import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskScores } from '../models/task_metrics.js';

/** File `train` writes next to the model: how training went, epoch by epoch. */
export const TRAINING_RECORD_FILE = 'training.json';

/** What `train` records in {@link TRAINING_RECORD_FILE} (read back by `eval --report` for its training curves). */
export interface TrainingRecord {
  /** The prediction model's outputs: `['fused', branch…]` for a joint model, `[backbone]` otherwise. */
  outputs: string[];
  /** The held-out metric that chose the best epoch. */
  metric: string;
  /** 1-based epoch whose weights were saved. */
  bestEpoch: number;
  /** Per-epoch series: `loss` (training) and `val_<metric>` (held-out, output 0). */
  history: Record<string, number[]>;
  /** Held-out scores of every output at the best epoch. */
  heldOut: ({ output: string } & TaskScores)[];
  /** `--explore`: every candidate's held-out figures, best first. */
  selection?: ({ backbone: string; score: number; seconds: number } & TaskScores)[];
  /** The datasets' summaries (rows used and skipped). */
  dataset: { train: string; heldOut: string };
}

/** Writes `record` as `training.json` in `folder` (through a partial file, renamed). */
export async function writeTrainingRecord(folder: string, record: TrainingRecord): Promise<void> {
  const file = join(folder, TRAINING_RECORD_FILE);
  await writeFile(`${file}.partial`, `${JSON.stringify(record, finite, 2)}\n`);
  await rename(`${file}.partial`, file);
}

/** The training record of a model folder, or undefined when it has none (a model not trained by `train`). */
export async function readTrainingRecord(folder: string): Promise<TrainingRecord | undefined> {
  let text: string;
  try {
    text = await readFile(join(folder, TRAINING_RECORD_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const value = JSON.parse(text) as TrainingRecord;
  return typeof value === 'object' && value !== null && typeof value.history === 'object' ? value : undefined;
}

/** JSON has no NaN: write null (an undefined metric) rather than dropping the key silently. */
function finite(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
