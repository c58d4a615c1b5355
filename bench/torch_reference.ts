import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const PYTHON = '/usr/bin/python3';
const SCRIPT = 'torch_resnet50.py';
const TIMEOUT_MS = 15 * 60 * 1000;

/** PyTorch CPU timings measured in the same run, by the shared anchor script. */
export interface TorchReference {
  available: boolean;
  /** Why there are no figures. */
  reason?: string;
  script?: string;
  torchVersion?: string;
  threads?: number;
  /** Median ms by the script's names, e.g. 'resnet50 fwd bs=8', 'matmul 1024^3'. */
  figuresMs: Record<string, number>;
  /** Why the figures may not be representative. */
  warning?: string;
}

/**
 * Above this a 1024³ matmul means PyTorch runs on Debian's unoptimised reference BLAS (~1 s; OpenBLAS:
 * ~10-40 ms on 2 cores): Debian's python3-torch uses whatever provides libblas.so.3.
 */
const SLOW_MATMUL_MS = 200;

/** Parses the anchor script's output: `torch 1.13 threads 2`, then `<name>: median <ms> ms` lines. */
export function parseTorchOutput(stdout: string): Omit<TorchReference, 'available'> {
  const figuresMs: Record<string, number> = {};
  let torchVersion: string | undefined;
  let threads: number | undefined;
  for (const line of stdout.split('\n')) {
    const header = /^torch (\S+) threads (\d+)/.exec(line);
    if (header) {
      torchVersion = header[1];
      threads = Number(header[2]);
    }
    const figure = /^(.+): median ([\d.]+) ms\s*$/.exec(line);
    if (figure) figuresMs[figure[1]!.trim()] = Number(figure[2]);
  }
  return {
    figuresMs,
    ...(torchVersion === undefined ? {} : { torchVersion }),
    ...(threads === undefined ? {} : { threads }),
  };
}

/** Runs the anchor script with the system Python, or says why it could not. Never throws. */
export async function runTorchReference(): Promise<TorchReference> {
  const dir = path.resolve(process.env.FUNDUS_ANCHORS ?? '../shared/anchors');
  const script = path.join(dir, SCRIPT);
  if (!existsSync(script))
    return { available: false, reason: `${script} not found (set FUNDUS_ANCHORS)`, figuresMs: {} };
  const probe = spawnSync(PYTHON, ['-c', 'import torch, torchvision'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (probe.error !== undefined || probe.status !== 0) {
    const why = probe.error?.message ?? probe.stderr.trim().split('\n').pop();
    return {
      available: false,
      reason: `${PYTHON} cannot import torch, torchvision (${why})`,
      script,
      figuresMs: {},
    };
  }
  const { code, stdout, stderr } = await run(PYTHON, [script]);
  const parsed = parseTorchOutput(stdout);
  if (code !== 0 || Object.keys(parsed.figuresMs).length === 0) {
    return {
      available: false,
      reason: `${SCRIPT} failed (exit ${code}): ${stderr.trim().split('\n').pop()}`,
      script,
      figuresMs: {},
    };
  }
  const matmul = parsed.figuresMs['matmul 1024^3'];
  const warning =
    matmul !== undefined && matmul > SLOW_MATMUL_MS
      ? `PyTorch's 1024^3 matmul took ${matmul} ms: libblas.so.3 is probably the reference BLAS; ` +
        '`apt-get install -y libopenblas0-pthread` for representative figures'
      : undefined;
  return { available: true, script, ...parsed, ...(warning === undefined ? {} : { warning }) };
}

function run(cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: TIMEOUT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', (e) => resolve({ code: null, stdout, stderr: `${stderr}${e.message}` }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
