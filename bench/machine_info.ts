import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, version_wasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { version_layers } from '@tensorflow/tfjs-layers';

/** The machine and software a result file was measured on. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  totalMemoryGiB: number;
  platform: string;
  arch: string;
  node: string;
  /** 1, 5 and 15 minute load averages when the run started: other processes skew timings. */
  loadAverage: number[];
  tfjs: { core: string; layers: string; backendCpu: string; backendWasm: string };
  /** The fundus-kit commit measured, and whether src/ had uncommitted changes. */
  git: { commit: string; srcModified: boolean } | null;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.type()} ${os.release()}`,
    arch: os.arch(),
    node: process.version,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    tfjs: {
      core: tf.version_core,
      layers: version_layers,
      backendCpu: version_cpu,
      backendWasm: version_wasm,
    },
    git: gitState(),
  };
}

function gitState(): MachineInfo['git'] {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: 'pipe' }).trim();
    return {
      commit: git('rev-parse', 'HEAD'),
      srcModified: git('status', '--porcelain', '--', 'src').length > 0,
    };
  } catch {
    return null; // not a git checkout (e.g. an unpacked tarball)
  }
}

/** Settings of the active backend that change its speed (wasm: SIMD and threads). */
export async function backendInfo(name: string): Promise<Record<string, unknown>> {
  if (name !== 'wasm') return { threads: 1 };
  return {
    simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
    multithreadSupported: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
    threads: getThreadsCount(),
  };
}

/** Memory in use at a failure: the wasm heap (at most 4 GiB, wasm32) and the engine's tensors, in MiB. */
export function memoryNote(backendName: string): string {
  const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
  const heap = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8?.length;
  const wasm = backendName === 'wasm' && heap !== undefined ? `wasm heap ${mib(heap)} MiB, ` : '';
  return `${wasm}tensors ${mib(tf.memory().numBytes)} MiB`;
}
