import { parseArgs } from 'node:util';

/** Command-line options of `npm run bench`. */
export interface BenchOptions {
  /** Only workloads whose "name backend" contains this (case-insensitive). */
  only: string | undefined;
  /** Smoke check: 1 warm-up and 1 timed run, cpu cases that take minutes skipped. */
  quick: boolean;
  /** Also run the cpu cases that take hours (training step, every filter-gradient shape). */
  fullCpu: boolean;
  /** Skip the PyTorch reference even when it is installed. */
  noReference: boolean;
  /** Where the result file goes. */
  out: string;
}

export const USAGE = `npm run bench -- [--only <substring>] [--quick] [--full-cpu] [--no-reference] [--out <file>]`;

export function parseBenchArgs(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'full-cpu': { type: 'boolean', default: false },
      'no-reference': { type: 'boolean', default: false },
      out: { type: 'string', default: 'bench/results/latest.json' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  return {
    only: values.only?.toLowerCase(),
    quick: values.quick,
    fullCpu: values['full-cpu'],
    noReference: values['no-reference'],
    out: values.out,
  };
}
