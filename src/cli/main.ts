#!/usr/bin/env node
/**
 * The `fundus-kit` executable (package.json `bin`): runs the command line and exits with its code.
 * Everything testable lives in run_cli.ts; this file only connects it to the process.
 */
import { runCli } from './run_cli.js';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `fundus-kit: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
