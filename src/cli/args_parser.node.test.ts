import { describe, expect, it } from 'vitest';
import {
  type CommandSpec,
  formatCommandHelp,
  formatProgramHelp,
  ParsedArgs,
  parseArgs,
} from './args_parser.js';
import { didYouMean, editDistance } from './did_you_mean.js';
import { UsageError } from './usage_error.js';

const SPEC: CommandSpec = {
  name: 'demo',
  summary: 'A command for tests.',
  positionals: [
    { name: 'in', description: 'Input.' },
    { name: 'out', description: 'Output.', optional: true },
  ],
  options: [
    { name: 'size', short: 's', type: 'integer', default: 512, min: 8, description: 'Side in pixels.' },
    { name: 'margin', type: 'number', default: 0, min: -0.99, max: 1, description: 'Border.' },
    {
      name: 'colour',
      short: 'c',
      type: 'choice',
      choices: ['original', 'greyscale', 'benGraham'],
      default: 'original',
      description: 'Colour.',
    },
    { name: 'crop', type: 'boolean', default: true, description: 'Crop.' },
    { name: 'mask', type: 'boolean', defaultText: 'on for benGraham', description: 'Mask.' },
    { name: 'image-column', type: 'string', default: 'image', valueName: 'name', description: 'Column.' },
  ],
  examples: ['demo photos/ out/ --size 256'],
};

function parsed(argv: string[]): ParsedArgs {
  const result = parseArgs(SPEC, argv);
  if (result === 'help') throw new Error('unexpected help');
  return result;
}

function usageError(argv: string[]): UsageError {
  try {
    parseArgs(SPEC, argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
}

describe('parseArgs', () => {
  it('fills defaults and reads long, short, = and --no- forms', () => {
    const a = parsed(['in/']);
    expect(a.positionals).toEqual(['in/']);
    expect([
      a.number('size'),
      a.number('margin'),
      a.string('colour'),
      a.boolean('crop'),
      a.boolean('mask'),
    ]).toEqual([512, 0, 'original', true, undefined]);
    expect(a.given.size).toBe(0);
    const b = parsed([
      '-s',
      '128',
      'in/',
      '--colour=benGraham',
      '--no-crop',
      '--mask',
      'out/',
      '--image-column',
      'path',
    ]);
    expect(b.positionals).toEqual(['in/', 'out/']);
    expect([
      b.number('size'),
      b.string('colour'),
      b.boolean('crop'),
      b.boolean('mask'),
      b.string('image-column'),
    ]).toEqual([128, 'benGraham', false, true, 'path']);
    expect([...b.given].sort()).toEqual(['colour', 'crop', 'image-column', 'mask', 'size']);
  });

  it('takes negative numbers as values, the last repeat, and everything after -- as positionals', () => {
    const a = parsed(['--margin', '-0.25', 'in', '--size=64', '--size', '96', '--', '--weird-name']);
    expect(a.number('margin')).toBe(-0.25);
    expect(a.number('size')).toBe(96);
    expect(a.positionals).toEqual(['in', '--weird-name']);
    expect(parsed(['--crop=false', 'x']).boolean('crop')).toBe(false);
  });

  it("returns 'help' for --help or -h before any check", () => {
    expect(parseArgs(SPEC, ['--sze', '--help'])).toBe('help');
    expect(parseArgs(SPEC, ['-h'])).toBe('help');
    expect(parseArgs(SPEC, ['x', '--', '--help'])).toBeInstanceOf(ParsedArgs);
  });

  it('suggests the nearest option for an unknown one', () => {
    const e = usageError(['in', '--sze', '3']);
    expect(e.message).toBe(
      "Unknown option --sze. Did you mean --size? Run 'fundus-kit demo --help' for usage.",
    );
    expect(e.command).toBe('demo');
    expect(usageError(['in', '--colur', 'x']).message).toContain('Did you mean --colour?');
    expect(usageError(['in', '--no-crp']).message).toContain('Did you mean --no-crop?');
    expect(usageError(['in', '--image-colum', 'x']).message).toContain('Did you mean --image-column?');
    expect(usageError(['in', '--zzzzzz']).message).toBe(
      "Unknown option --zzzzzz. Run 'fundus-kit demo --help' for usage.",
    );
    expect(usageError(['in', '-x']).message).toContain('Unknown option -x.');
    expect(usageError(['in', '--no-size']).message).toContain('Unknown option --no-size.');
  });

  it('says which value a missing or bad value needs, with an example', () => {
    expect(usageError(['in', '--size']).message).toBe(
      'Option --size needs a value (an integer ≥ 8), e.g. --size 512.',
    );
    expect(usageError(['in', '--size', '--crop']).message).toContain('needs a value');
    expect(usageError(['in', '--size', 'abc']).message).toBe(
      "Option --size must be an integer ≥ 8, but got 'abc'. Example: --size 512.",
    );
    expect(usageError(['in', '--size', '12.5']).message).toContain("but got '12.5'");
    expect(usageError(['in', '--size=']).message).toContain("but got ''");
    expect(usageError(['in', '--size', '4']).message).toBe(
      'Option --size must be an integer ≥ 8, but got 4. Example: --size 512.',
    );
    expect(usageError(['in', '--margin', '2']).message).toContain('a number from -0.99 to 1, but got 2');
    expect(usageError(['in', '--margin', 'NaN']).message).toContain("but got 'NaN'");
    expect(usageError(['in', '--colour', 'bengraham']).message).toBe(
      "Option --colour must be one of original, greyscale, benGraham, but got 'bengraham'. Did you mean --colour benGraham?",
    );
    expect(usageError(['in', '--crop=yes']).message).toBe(
      "Option --crop takes no value, but got '--crop=yes'. Use --crop or --no-crop.",
    );
    expect(usageError(['in', '--image-column=']).message).toContain('needs a non-empty value');
  });

  it('checks the number of positional arguments', () => {
    expect(usageError([]).message).toBe(
      "demo: missing <in>. Usage: fundus-kit demo <in> [out] [options]. Run 'fundus-kit demo --help' for usage.",
    );
    expect(usageError(['a', 'b', 'c']).message).toContain("unexpected argument 'c'; it takes <in> <out>.");
  });

  it('ParsedArgs accessors refuse an option of another type (a programming error)', () => {
    const a = parsed(['in']);
    expect(() => a.number('colour')).toThrow('demo: no number/integer option named --colour.');
    expect(() => a.string('nope')).toThrow(/no string\/choice option named --nope/);
  });
});

describe('help text', () => {
  it('lists usage, arguments, every option with its default, --help and the example', () => {
    const help = formatCommandHelp(SPEC);
    expect(help.split('\n')[0]).toBe('Usage: fundus-kit demo <in> [out] [options]');
    expect(help).toContain('<in>   Input.');
    expect(help).toMatch(/-s, --size <n>\s+Side in pixels \(default: 512\)\./);
    expect(help).toMatch(/--margin <n>\s+Border \(default: 0\)\./);
    expect(help).toMatch(/--colour <name>\s+Colour: original, greyscale, benGraham \(default: original\)\./);
    expect(help).toMatch(/--\[no-\]crop\s+Crop \(default: on\)\./);
    expect(help).toMatch(/--\[no-\]mask\s+Mask \(default: on for benGraham\)\./);
    expect(help).toMatch(/-h, --help\s+Show this help and exit\./);
    expect(help).toContain('Example:\n  fundus-kit demo photos/ out/ --size 256');
    for (const line of help.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it("the program's help lists the commands and global options", () => {
    const help = formatProgramHelp([SPEC], { description: 'Tools.', version: '9.8.7' });
    expect(help).toContain('Usage: fundus-kit <command> [options]');
    expect(help).toMatch(/\n {2}demo\s+A command for tests\./);
    expect(help).toContain('Print the version (9.8.7)');
    expect(help).toContain('Example:\n  fundus-kit demo photos/ out/ --size 256');
  });
});

describe('didYouMean', () => {
  it('edit distance counts insertions, deletions, substitutions and swaps', () => {
    expect(editDistance('size', 'size')).toBe(0);
    expect(editDistance('sze', 'size')).toBe(1);
    expect(editDistance('szie', 'size')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('proposes only close names, or the one name a prefix picks', () => {
    expect(didYouMean('colr', ['colour', 'crop', 'size'])).toBe('colour');
    expect(didYouMean('SIZE', ['size'])).toBe('size');
    expect(didYouMean('preproc', ['preprocess', 'predict', 'report'])).toBe('preprocess');
    expect(didYouMean('pre', ['preprocess', 'predict'])).toBeUndefined();
    expect(didYouMean('banana', ['size', 'crop'])).toBeUndefined();
  });
});
