import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PYTHON = '/usr/bin/python3';
const ANCHOR = 'torch_resnet50.py';
const TIMEOUT_MS = 15 * 60 * 1000;

/** Backbones the shared anchor times (forward at batch 1 and 8, a training step at batch 8), besides a 1024³ matmul. */
export const ANCHOR_BACKBONES = ['resnet50', 'vgg16'] as const;

/** A PyTorch script to run, with its arguments. */
export interface TorchScript {
  path: string;
  args: string[];
}

/** The shared anchor (`$FUNDUS_ANCHORS/torch_resnet50.py`, default `../shared/anchors`): ResNet-50, VGG-16, matmul. */
export function anchorScript(): TorchScript {
  return {
    path: path.join(path.resolve(process.env.FUNDUS_ANCHORS ?? '../shared/anchors'), ANCHOR),
    args: [],
  };
}

/** bench/torch_backbones.py for the given backbones (those the anchor lacks): forward and a training step at batch 8. */
export function backbonesScript(names: string[]): TorchScript {
  return { path: fileURLToPath(new URL('./torch_backbones.py', import.meta.url)), args: names };
}

/** PyTorch CPU timings measured in the same run, by the shared anchor script and bench/torch_backbones.py. */
export interface TorchReference {
  available: boolean;
  /** Why there are no figures. */
  reason?: string;
  /** The scripts run, with their arguments. */
  scripts?: string[];
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

/**
 * Runs the scripts with the system Python one after the other (the anchor, and bench/torch_backbones.py for the
 * backbones the anchor lacks) and merges their figures, or says why there are none. Never throws.
 */
export async function runTorchReference(scripts: TorchScript[]): Promise<TorchReference> {
  const names = scripts.map((s) => [s.path, ...s.args].join(' '));
  const missing = scripts.find((s) => !existsSync(s.path));
  if (missing !== undefined)
    return { available: false, reason: `${missing.path} not found (set FUNDUS_ANCHORS)`, figuresMs: {} };
  const probe = spawnSync(PYTHON, ['-c', 'import torch, torchvision'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (probe.error !== undefined || probe.status !== 0) {
    const why = probe.error?.message ?? probe.stderr.trim().split('\n').pop();
    return {
      available: false,
      reason: `${PYTHON} cannot import torch, torchvision (${why})`,
      scripts: names,
      figuresMs: {},
    };
  }
  const figuresMs: Record<string, number> = {};
  let torchVersion: string | undefined;
  let threads: number | undefined;
  for (const script of scripts) {
    const { code, stdout, stderr } = await run(PYTHON, [script.path, ...script.args]);
    const parsed = parseTorchOutput(stdout);
    if (code !== 0 || Object.keys(parsed.figuresMs).length === 0) {
      return {
        available: false,
        reason: `${path.basename(script.path)} failed (exit ${code}): ${stderr.trim().split('\n').pop()}`,
        scripts: names,
        figuresMs: {},
      };
    }
    Object.assign(figuresMs, parsed.figuresMs);
    torchVersion ??= parsed.torchVersion;
    threads ??= parsed.threads;
  }
  const matmul = figuresMs['matmul 1024^3'];
  const warning =
    matmul !== undefined && matmul > SLOW_MATMUL_MS
      ? `PyTorch's 1024^3 matmul took ${matmul} ms: libblas.so.3 is probably the reference BLAS; ` +
        '`apt-get install -y libopenblas0-pthread` for representative figures'
      : undefined;
  return {
    available: true,
    scripts: names,
    figuresMs,
    ...(torchVersion === undefined ? {} : { torchVersion }),
    ...(threads === undefined ? {} : { threads }),
    ...(warning === undefined ? {} : { warning }),
  };
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
