/**
 * `npm run bench`: times fundus-kit's workloads on the wasm and cpu backends, prints a table and
 * writes bench/results/latest.json. Not part of the tests; see bench/README.md.
 */

import os from 'node:os';
import path from 'node:path';
import { setupBackend } from '../src/index.js';
import { parseBenchArgs } from './cli_args.js';
import { BenchContext, type Row } from './context.js';
import { backendInfo, machineInfo } from './machine_info.js';
import { NativeKernels } from './native_kernels.js';
import { type OpencvReference, runOpencvReference } from './opencv_reference.js';
import { fillRatios } from './ratios.js';
import { formatTable, writeResults } from './report.js';
import {
  ANCHOR_BACKBONES,
  anchorScript,
  backbonesScript,
  runTorchReference,
  type TorchReference,
  type TorchScript,
} from './torch_reference.js';
import { backbonesToRun, benchBackbones } from './workloads/backbones.js';
import { benchConvKernels } from './workloads/conv_kernels.js';
import { benchGradCam } from './workloads/grad_cam.js';
import { benchMatmul } from './workloads/matmul.js';
import { benchPipeline, eyepacsDir } from './workloads/pipeline.js';

const BACKENDS = ['wasm', 'cpu'] as const;
/** 5-minute load average above which the run warns that other processes shared the machine. */
const BUSY_LOAD = 1.5;

async function main(): Promise<void> {
  const started = Date.now();
  const options = parseBenchArgs(process.argv.slice(2));
  const natives = NativeKernels.capture(); // before setupBackend replaces them
  const machine = machineInfo();
  console.log(
    `fundus-kit bench: ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, tfjs ${machine.tfjs.core}` +
      `, load ${machine.loadAverage.join(' ')}${options.quick ? ' (--quick)' : ''}${options.only === undefined ? '' : ` (--only ${options.only})`}`,
  );

  const probes = BACKENDS.map((b) => new BenchContext(b, options, []));
  const reference = await reference_(
    options.noReference,
    probes.some((ctx) => ctx.selected('matmul 1024^3')),
    [...new Set(probes.flatMap(backbonesToRun))],
  );

  const opencv: OpencvReference = options.noReference
    ? { available: false, threads: 1, reason: 'skipped by --no-reference' }
    : BACKENDS.some((b) =>
          new BenchContext(b, options, []).selected('fundus pipeline 512 benGraham (eyepacs)'),
        )
      ? runOpencvReference(eyepacsDir(), 1)
      : { available: false, threads: 1, reason: 'pipeline not selected' };
  if (opencv.available) console.log(`OpenCV reference: ${opencv.imagesPerS} img/s (1 thread)`);
  // The same anchor on every core, for the worker-thread row (`preparePhotos`).
  const cores = os.availableParallelism();
  const opencvAllCores: OpencvReference =
    opencv.available && cores > 1 ? runOpencvReference(eyepacsDir(), cores) : { ...opencv, threads: cores };
  if (opencvAllCores.available && cores > 1) {
    console.log(`OpenCV reference: ${opencvAllCores.imagesPerS} img/s (${cores} threads)`);
  }

  const rows: Row[] = [];
  const backends: Record<string, unknown> = {};
  for (const name of BACKENDS) {
    const info = await setupBackend({ prefer: name });
    backends[name] = { ...(await backendInfo(name)), addedKernels: info.addedKernels };
    console.log(`${name}: ${JSON.stringify(backends[name])}`);
    const ctx = new BenchContext(name, options, rows);
    await benchMatmul(ctx, natives);
    await benchConvKernels(ctx, natives);
    await benchPipeline(ctx, opencv, opencvAllCores);
    await benchGradCam(ctx);
    // Last: ResNet-50's batch-8 training step runs the wasm heap out of memory.
    await benchBackbones(ctx);
  }
  fillRatios(rows, reference);

  console.log(`\n${formatTable(rows)}\n`);
  console.log(
    reference.available
      ? `PyTorch ${reference.torchVersion} (${reference.threads} threads) reference: ${JSON.stringify(reference.figuresMs)}` +
          `${reference.warning === undefined ? '' : `\nWARNING: ${reference.warning}`}`
      : `PyTorch reference not available: ${reference.reason}. No torch ratios.`,
  );
  const file = writeResults(options.out, {
    date: new Date().toISOString(),
    durationS: Math.round((Date.now() - started) / 1000),
    loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100),
    options,
    machine,
    backends,
    units: { time: 'ms (median and min of the timed runs)', gflops: 'GFLOP/s, multiply-add = 2 FLOP' },
    reference,
    opencvReference: opencv,
    opencvReferenceAllCores: opencvAllCores,
    results: rows,
  });
  const load = os.loadavg()[1]!;
  // The bench itself keeps one core busy; more than half another core's worth means others ran too.
  if (load > BUSY_LOAD) {
    console.log(
      `WARNING: 5-minute load average ${load.toFixed(1)} on ${machine.cores} cores: other processes skewed these timings.`,
    );
  }
  const errors = rows.filter((r) => r.error !== undefined).length;
  console.log(
    `Wrote ${file} in ${Math.round((Date.now() - started) / 1000)} s${errors ? `; ${errors} ERRORS` : ''}.`,
  );
}

/**
 * PyTorch figures for the selected workloads that have one: the shared anchor for the matmul, ResNet-50 and
 * VGG-16, bench/torch_backbones.py for the other backbones.
 */
async function reference_(disabled: boolean, matmul: boolean, backbones: string[]): Promise<TorchReference> {
  if (disabled) return { available: false, reason: 'disabled by --no-reference', figuresMs: {} };
  const anchored: readonly string[] = ANCHOR_BACKBONES;
  const scripts: TorchScript[] = [];
  if (matmul || backbones.some((n) => anchored.includes(n))) scripts.push(anchorScript());
  const others = backbones.filter((n) => !anchored.includes(n));
  if (others.length > 0) scripts.push(backbonesScript(others));
  if (scripts.length === 0)
    return { available: false, reason: 'no selected workload has one', figuresMs: {} };
  console.log(
    `PyTorch reference (${scripts.map((s) => [path.basename(s.path), ...s.args].join(' ')).join('; ')})…`,
  );
  const reference = await runTorchReference(scripts);
  console.log(
    reference.available ? `  ${JSON.stringify(reference.figuresMs)}` : `  not available: ${reference.reason}`,
  );
  return reference;
}

await main();
