import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const PYTHON = process.env.FUNDUS_PYTHON ?? '/usr/bin/python3';
const SCRIPT = 'opencv_preprocess.py';

/** The OpenCV preprocessing anchor's throughput, or why it is missing. */
export interface OpencvReference {
  available: boolean;
  reason?: string;
  opencvVersion?: string;
  threads: number;
  imagesPerS?: number;
}

/**
 * Runs ../shared/anchors/opencv_preprocess.py (Ben Graham's recipe with OpenCV, `threads` threads) over `dir`
 * with the system Python and parses its images/s. Never throws.
 */
export function runOpencvReference(dir: string, threads = 1): OpencvReference {
  const script = path.join(path.resolve(process.env.FUNDUS_ANCHORS ?? '../shared/anchors'), SCRIPT);
  if (!existsSync(script)) return { available: false, threads, reason: `${script} not found` };
  const result = spawnSync(PYTHON, [script, dir, String(threads)], { encoding: 'utf8', timeout: 600_000 });
  const line = /^opencv ([\w.]+): \d+ images in [\d.]+ s -> ([\d.]+) img\/s/m.exec(result.stdout ?? '');
  if (result.status !== 0 || line === null) {
    const why = result.error?.message ?? result.stderr?.trim().split('\n').pop() ?? 'no output';
    return { available: false, threads, reason: `${PYTHON} ${SCRIPT} failed: ${why}` };
  }
  return { available: true, threads, opencvVersion: line[1]!, imagesPerS: Number(line[2]) };
}
