import { didYouMean } from './did_you_mean.js';
import { UsageError } from './usage_error.js';

/** The kinds of value an option takes. `boolean` options take none (`--crop`, `--no-crop`). */
export type OptionType = 'string' | 'number' | 'integer' | 'boolean' | 'choice';

/** A value an option can hold once parsed. */
export type OptionValue = string | number | boolean;

/** One `--long` (and optionally `-s`) option of a command. */
export interface OptionSpec {
  /** Long name without the dashes, kebab-case: `'size'`, `'image-column'`. */
  name: string;
  /** One-letter short form without the dash: `'s'` for `-s`. @defaultValue none */
  short?: string;
  /** What value the option takes. */
  type: OptionType;
  /** The allowed values of a `'choice'` option. */
  choices?: readonly string[];
  /** Value when the option is not given; `undefined` when it has none (or it depends on other options). */
  default?: OptionValue;
  /** How help shows the default when `default` alone cannot say it (`'on for benGraham, off otherwise'`). */
  defaultText?: string;
  /** One-line description for help. */
  description: string;
  /** Placeholder shown in help (`<px>`). @defaultValue derived from the type */
  valueName?: string;
  /** Inclusive bounds of a `'number'` or `'integer'` option. */
  min?: number;
  /** Inclusive upper bound of a `'number'` or `'integer'` option. */
  max?: number;
}

/** A positional argument of a command. */
export interface PositionalSpec {
  /** Name shown as `<name>` in usage and errors. */
  name: string;
  /** One-line description for help. */
  description: string;
  /** May be left out (only trailing positionals). @defaultValue false */
  optional?: boolean;
}

/** The grammar and help of one command. */
export interface CommandSpec {
  /** The command word: `'preprocess'`. */
  name: string;
  /** One line, shown in the program's command list. */
  summary: string;
  /** Paragraphs shown under the usage line of the command's help. @defaultValue the summary */
  description?: string;
  /** Positional arguments, in order. */
  positionals: readonly PositionalSpec[];
  /** Options (`--help` is added to every command). */
  options: readonly OptionSpec[];
  /** Full example command lines, without the program name. */
  examples: readonly string[];
}

/** A parsed command line, with typed accessors that check the spec. */
export class ParsedArgs {
  constructor(
    readonly spec: CommandSpec,
    /** Positional arguments, in order. */
    readonly positionals: readonly string[],
    /** Every option's value: given, or its default, or `undefined`. */
    readonly values: Readonly<Record<string, OptionValue | undefined>>,
    /** Names of the options given on the command line (not defaulted). */
    readonly given: ReadonlySet<string>,
  ) {}

  /** A string or choice option's value. */
  string(name: string): string | undefined {
    return this.typed(name, ['string', 'choice']) as string | undefined;
  }

  /** A number or integer option's value. */
  number(name: string): number | undefined {
    return this.typed(name, ['number', 'integer']) as number | undefined;
  }

  /** A boolean option's value. */
  boolean(name: string): boolean | undefined {
    return this.typed(name, ['boolean']) as boolean | undefined;
  }

  private typed(name: string, types: OptionType[]): OptionValue | undefined {
    const option = this.spec.options.find((o) => o.name === name);
    if (option === undefined || !types.includes(option.type)) {
      // A programming error in a command, not a user error.
      throw new Error(`${this.spec.name}: no ${types.join('/')} option named --${name}.`);
    }
    return this.values[name];
  }
}

/** The `--help` option every command accepts. */
export const HELP_OPTION: OptionSpec = {
  name: 'help',
  short: 'h',
  type: 'boolean',
  description: 'Show this help and exit.',
};

/**
 * Parses a command's arguments (everything after the command word): `--name value`, `--name=value`, `-s value`,
 * `--flag`, `--no-flag`, `--` to end options. Numbers, integers, choices and bounds are checked. `--help`
 * anywhere returns `'help'` without checking anything else.
 *
 * @throws {@link UsageError} for an unknown option (suggesting the nearest), a missing or bad value, or too
 * few or too many positional arguments; the message ends with the fix.
 */
export function parseArgs(
  spec: CommandSpec,
  argv: readonly string[],
  program = 'fundus-kit',
): ParsedArgs | 'help' {
  if (argv.some((a) => a === '--help' || a === '-h')) {
    // Only before a `--`: after it, `--help` is a positional.
    const end = argv.indexOf('--');
    const at = argv.findIndex((a) => a === '--help' || a === '-h');
    if (end === -1 || at < end) return 'help';
  }
  const helpHint = `Run '${program} ${spec.name} --help' for usage.`;
  const values: Record<string, OptionValue | undefined> = {};
  for (const o of spec.options) values[o.name] = o.default;
  const given = new Set<string>();
  const positionals: string[] = [];

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-' || isNumberLike(arg)) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const { option, negated } = findOption(spec, flag, helpHint);
    const shown = `--${option.name}`;
    if (option.type === 'boolean') {
      if (inline === undefined) values[option.name] = !negated;
      else if (!negated && (inline === 'true' || inline === 'false')) values[option.name] = inline === 'true';
      else {
        throw new UsageError(
          `Option ${shown} takes no value, but got '${arg}'. Use ${shown} or --no-${option.name}.`,
          spec.name,
          arg,
        );
      }
      given.add(option.name);
      continue;
    }
    let raw = inline;
    if (raw === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-' && !isNumberLike(next))) {
        throw new UsageError(
          `Option ${shown} needs a value (${describeType(option)}), e.g. ${exampleOf(option)}.`,
          spec.name,
        );
      }
      raw = next;
      i++;
    }
    values[option.name] = convert(spec, option, raw);
    given.add(option.name);
  }

  const required = spec.positionals.filter((p) => !p.optional);
  if (positionals.length < required.length) {
    const missing = required.slice(positionals.length).map((p) => `<${p.name}>`);
    throw new UsageError(
      `${spec.name}: missing ${missing.join(' and ')}. Usage: ${usageLine(spec, program)}. ${helpHint}`,
      spec.name,
    );
  }
  if (positionals.length > spec.positionals.length) {
    const extra = positionals[spec.positionals.length]!;
    throw new UsageError(
      `${spec.name}: unexpected argument '${extra}'; it takes ${spec.positionals.length === 0 ? 'none' : spec.positionals.map((p) => `<${p.name}>`).join(' ')}. ` +
        `Quote paths that contain spaces. ${helpHint}`,
      spec.name,
      extra,
    );
  }
  return new ParsedArgs(spec, positionals, values, given);
}

function findOption(
  spec: CommandSpec,
  flag: string,
  helpHint: string,
): { option: OptionSpec; negated: boolean } {
  if (flag.startsWith('--')) {
    const name = flag.slice(2);
    const exact = spec.options.find((o) => o.name === name);
    if (exact !== undefined) return { option: exact, negated: false };
    if (name.startsWith('no-')) {
      const positive = spec.options.find((o) => o.name === name.slice(3) && o.type === 'boolean');
      if (positive !== undefined) return { option: positive, negated: true };
    }
    const names = spec.options.flatMap((o) => (o.type === 'boolean' ? [o.name, `no-${o.name}`] : [o.name]));
    const guess = didYouMean(name, [...names, 'help']);
    throw new UsageError(
      `Unknown option ${flag}.${guess === undefined ? '' : ` Did you mean --${guess}?`} ${helpHint}`,
      spec.name,
      flag,
    );
  }
  const letter = flag.slice(1);
  const short = spec.options.find((o) => o.short !== undefined && o.short === letter);
  if (short !== undefined) return { option: short, negated: false };
  const long = spec.options.find((o) => o.name === letter);
  throw new UsageError(
    `Unknown option ${flag}.${long === undefined ? '' : ` Did you mean --${long.name}?`} ${helpHint}`,
    spec.name,
    flag,
  );
}

function convert(spec: CommandSpec, option: OptionSpec, raw: string): OptionValue {
  const shown = `--${option.name}`;
  if (option.type === 'string') {
    if (raw === '')
      throw new UsageError(`Option ${shown} needs a non-empty value, e.g. ${exampleOf(option)}.`, spec.name);
    return raw;
  }
  if (option.type === 'choice') {
    const choices = option.choices ?? [];
    if (choices.includes(raw)) return raw;
    const guess = didYouMean(raw, choices);
    throw new UsageError(
      `Option ${shown} must be one of ${choices.join(', ')}, but got '${raw}'.${guess === undefined ? '' : ` Did you mean ${shown} ${guess}?`}`,
      spec.name,
      raw,
    );
  }
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(value) || (option.type === 'integer' && !Number.isInteger(value))) {
    throw new UsageError(
      `Option ${shown} must be ${describeType(option)}, but got '${raw}'. Example: ${exampleOf(option)}.`,
      spec.name,
      raw,
    );
  }
  if ((option.min !== undefined && value < option.min) || (option.max !== undefined && value > option.max)) {
    throw new UsageError(
      `Option ${shown} must be ${describeType(option)}, but got ${value}. Example: ${exampleOf(option)}.`,
      spec.name,
      value,
    );
  }
  return value;
}

function describeType(option: OptionSpec): string {
  const noun = option.type === 'integer' ? 'an integer' : option.type === 'number' ? 'a number' : 'a value';
  if (option.type === 'choice') return `one of ${(option.choices ?? []).join(', ')}`;
  if (option.type === 'string') return option.valueName ?? 'a value';
  const { min, max } = option;
  if (min !== undefined && max !== undefined) return `${noun} from ${min} to ${max}`;
  if (min !== undefined) return `${noun} ≥ ${min}`;
  if (max !== undefined) return `${noun} ≤ ${max}`;
  return noun;
}

function exampleOf(option: OptionSpec): string {
  const value =
    option.default !== undefined && typeof option.default !== 'boolean'
      ? String(option.default)
      : option.type === 'choice'
        ? (option.choices?.[0] ?? '')
        : option.type === 'integer' || option.type === 'number'
          ? String(option.min ?? 1)
          : `<${placeholder(option)}>`;
  return `--${option.name} ${value}`;
}

function placeholder(option: OptionSpec): string {
  if (option.valueName !== undefined) return option.valueName;
  if (option.type === 'choice') {
    const joined = (option.choices ?? []).join('|');
    return joined.length <= 16 ? joined : 'name';
  }
  if (option.type === 'integer' || option.type === 'number') return 'n';
  return 'value';
}

function isNumberLike(arg: string): boolean {
  return /^-\d|^-\.\d/.test(arg);
}

/** `fundus-kit preprocess <in> <out> [options]`. */
export function usageLine(spec: CommandSpec, program = 'fundus-kit'): string {
  const positionals = spec.positionals.map((p) => (p.optional ? `[${p.name}]` : `<${p.name}>`));
  return [program, spec.name, ...positionals, '[options]'].join(' ');
}

/** Help text of one command: usage, description, arguments, options with defaults, examples. */
export function formatCommandHelp(spec: CommandSpec, program = 'fundus-kit'): string {
  const lines = [
    `Usage: ${usageLine(spec, program)}`,
    '',
    ...wrap(spec.description ?? spec.summary, 100),
    '',
  ];
  if (spec.positionals.length > 0) {
    lines.push('Arguments:');
    const rows = spec.positionals.map((p) => [`<${p.name}>`, p.description] as [string, string]);
    lines.push(...table(rows), '');
  }
  lines.push('Options:');
  const rows = [...spec.options, HELP_OPTION].map((o) => [optionLabel(o), optionText(o)] as [string, string]);
  lines.push(...table(rows), '');
  if (spec.examples.length > 0) {
    lines.push(spec.examples.length === 1 ? 'Example:' : 'Examples:');
    for (const example of spec.examples) lines.push(`  ${program} ${example}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** Help text of the program: usage, the commands with their summaries, global options, an example. */
export function formatProgramHelp(
  commands: readonly CommandSpec[],
  args: { program?: string; description: string; version: string },
): string {
  const program = args.program ?? 'fundus-kit';
  const lines = [
    `Usage: ${program} <command> [options]`,
    '',
    ...wrap(args.description, 100),
    '',
    'Commands:',
    ...table(commands.map((c) => [c.name, c.summary])),
    '',
    'Options:',
    ...table([
      ['-h, --help', "Show this help, or a command's help after its name."],
      ['-v, --version', `Print the version (${args.version}) and exit.`],
    ]),
    '',
  ];
  const first = commands[0];
  if (first !== undefined && first.examples.length > 0) {
    lines.push('Example:', `  ${program} ${first.examples[0]}`, '');
  }
  lines.push(`Run '${program} <command> --help' for a command's options.`, '');
  return lines.join('\n');
}

function optionLabel(o: OptionSpec): string {
  const short = o.short === undefined ? '    ' : `-${o.short}, `;
  const long = o.type === 'boolean' ? (o.name === 'help' ? '--help' : `--[no-]${o.name}`) : `--${o.name}`;
  return o.type === 'boolean' ? `${short}${long}` : `${short}${long} <${placeholder(o)}>`;
}

function optionText(o: OptionSpec): string {
  if (o.name === 'help') return o.description;
  const text = o.description.replace(/\.$/, '');
  const choices = o.type === 'choice' && placeholder(o) === 'name' ? `: ${(o.choices ?? []).join(', ')}` : '';
  const shownDefault =
    o.defaultText ??
    (o.default === undefined
      ? undefined
      : typeof o.default === 'boolean'
        ? o.default
          ? 'on'
          : 'off'
        : String(o.default));
  return `${text}${choices}${shownDefault === undefined ? '' : ` (default: ${shownDefault})`}.`;
}

function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.min(32, Math.max(...rows.map(([left]) => left.length)) + 2);
  const out: string[] = [];
  for (const [left, right] of rows) {
    const text = wrap(right, 100 - width - 2);
    if (left.length + 2 > width) {
      out.push(`  ${left}`);
      for (const line of text) out.push(`  ${' '.repeat(width)}${line}`);
    } else {
      out.push(`  ${left.padEnd(width)}${text[0] ?? ''}`);
      for (const line of text.slice(1)) out.push(`  ${' '.repeat(width)}${line}`);
    }
  }
  return out;
}

/** Greedy word wrap at `width` columns; paragraphs (blank-line separated) are kept. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const [index, paragraph] of text.split(/\n\s*\n/).entries()) {
    if (index > 0) out.push('');
    let line = '';
    for (const word of paragraph.split(/\s+/).filter((w) => w !== '')) {
      if (line !== '' && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    if (line !== '') out.push(line);
  }
  return out;
}
