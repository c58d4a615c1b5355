import type { CommandSpec, ParsedArgs } from './args_parser.js';
import type { InterruptGuard } from './interrupt_guard.js';
import type { ProgressStream } from './progress_bar.js';

/** What a command runs with: output streams and the Ctrl-C guard. */
export interface CommandContext {
  /** Results (file lists, tables). */
  stdout: ProgressStream;
  /** Progress, notices, failure lists, errors. */
  stderr: ProgressStream;
  /** Register cleanups for half-done work here. */
  interrupt: InterruptGuard;
  /** The program name used in messages (`fundus-kit`). */
  program: string;
}

/** One CLI command: its grammar and help, and what it does. */
export interface Command {
  spec: CommandSpec;
  /**
   * Runs the command; resolves to its exit code (0 success, 1 some inputs failed). Throws `UsageError` for a
   * bad command line (exit 2) and other errors for a failure of the whole run (exit 1).
   */
  run(args: ParsedArgs, context: CommandContext): Promise<number>;
}
