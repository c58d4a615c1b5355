import { FundusError } from '../errors.js';
import { formatCommandHelp, formatProgramHelp, parseArgs } from './args_parser.js';
import type { Command, CommandContext } from './command.js';
import { COMMANDS } from './commands.js';
import { didYouMean } from './did_you_mean.js';
import { InterruptGuard } from './interrupt_guard.js';
import type { ProgressStream } from './progress_bar.js';
import { UsageError } from './usage_error.js';
import { FUNDUS_KIT_VERSION } from './version.js';

/** Exit code for a bad command line (unknown command or option, missing or bad value). */
export const USAGE_EXIT_CODE = 2;

/** Arguments of {@link runCli}. */
export interface RunCliArgs {
  /** @defaultValue `process.stdout` */
  stdout?: ProgressStream;
  /** @defaultValue `process.stderr` */
  stderr?: ProgressStream;
  /** The commands. @defaultValue {@link COMMANDS} */
  commands?: readonly Command[];
  /** Ctrl-C guard; `runCli` installs it on `process` for the command's duration. @defaultValue a new one */
  interrupt?: InterruptGuard;
  /** @defaultValue `'fundus-kit'` */
  program?: string;
}

const DESCRIPTION =
  'fundus-kit: prepare retinal fundus photographs, train and evaluate models on them, explain their ' +
  'predictions and write HTML reports, with TensorFlow.js.';

/**
 * Runs the `fundus-kit` command line `argv` (without `node` and the script) and resolves to its exit code:
 * 0 success, 1 some inputs failed (or the run failed), 2 a bad command line, 130 interrupted. The same as the
 * `fundus-kit` executable, for scripts that chain commands (Node only).
 *
 * @example
 * ```ts
 * const code = await runCli(['train', 'labels.csv', 'models/eyes', '--label-column', 'class']);
 * if (code === 0) await runCli(['eval', 'models/eyes', 'labels.csv', '--held-out', '--report', 'eyes.html']);
 * ```
 * @throws Never for a failing command (its message goes to `stderr` and the code is returned).
 */
export async function runCli(argv: readonly string[], args: RunCliArgs = {}): Promise<number> {
  const stdout = args.stdout ?? process.stdout;
  const stderr = args.stderr ?? process.stderr;
  const commands = args.commands ?? COMMANDS;
  const program = args.program ?? 'fundus-kit';
  const programHelp = () =>
    formatProgramHelp(
      commands.map((c) => c.spec),
      { program, description: DESCRIPTION, version: FUNDUS_KIT_VERSION },
    );

  const [first, ...rest] = argv;
  if (first === undefined) {
    stderr.write(programHelp());
    return USAGE_EXIT_CODE;
  }
  if (first === '--help' || first === '-h') {
    stdout.write(programHelp());
    return 0;
  }
  if (first === '--version' || first === '-v') {
    stdout.write(`${FUNDUS_KIT_VERSION}\n`);
    return 0;
  }
  const names = commands.map((c) => c.spec.name);
  if (first === 'help') {
    const target = rest[0];
    if (target === undefined) {
      stdout.write(programHelp());
      return 0;
    }
    const command = commands.find((c) => c.spec.name === target);
    if (command === undefined) return usage(stderr, unknownCommand(target, names, program));
    stdout.write(formatCommandHelp(command.spec, program));
    return 0;
  }
  if (first.startsWith('-')) {
    return usage(
      stderr,
      `Unknown option ${first}. Options go after the command: ${program} <command> ${first}. Commands: ${names.join(', ')}.`,
    );
  }
  const command = commands.find((c) => c.spec.name === first);
  if (command === undefined) return usage(stderr, unknownCommand(first, names, program));

  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(command.spec, rest, program);
  } catch (e) {
    if (e instanceof UsageError) return usage(stderr, e.message);
    throw e;
  }
  if (parsed === 'help') {
    stdout.write(formatCommandHelp(command.spec, program));
    return 0;
  }

  const interrupt = args.interrupt ?? new InterruptGuard({ stderr });
  const context: CommandContext = { stdout, stderr, interrupt, program };
  interrupt.install();
  try {
    return await command.run(parsed, context);
  } catch (e) {
    if (e instanceof UsageError) return usage(stderr, e.message);
    const message = e instanceof Error ? e.message : String(e);
    stderr.write(`${program} ${command.spec.name}: ${message}\n`);
    if (!(e instanceof FundusError) && e instanceof Error && process.env.FUNDUS_DEBUG) {
      stderr.write(`${e.stack ?? ''}\n`);
    }
    return 1;
  } finally {
    interrupt.uninstall();
  }
}

function unknownCommand(name: string, names: string[], program: string): string {
  const guess = didYouMean(name, names);
  return (
    `Unknown command '${name}'.${guess === undefined ? '' : ` Did you mean '${guess}'?`} ` +
    `Commands: ${names.join(', ')}. Run '${program} --help' for usage.`
  );
}

function usage(stderr: ProgressStream, message: string): number {
  stderr.write(`${message}\n`);
  return USAGE_EXIT_CODE;
}
