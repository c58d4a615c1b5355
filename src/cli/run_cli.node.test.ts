import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureCliOutput } from '../../test/support/cli_io.js';
import { InvalidArgumentError } from '../errors.js';
import type { Command } from './command.js';
import { FailureLog } from './failure_log.js';
import { runCli, USAGE_EXIT_CODE } from './run_cli.js';

const packageVersion = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** A batch command over `--files a,b,c` that fails on names starting with 'bad'. */
const batch: Command = {
  spec: {
    name: 'batch',
    summary: 'Processes files.',
    positionals: [],
    options: [{ name: 'files', type: 'string', default: '', description: 'Comma-separated names.' }],
    examples: ['batch --files a,b'],
  },
  async run(args, context) {
    const names = args
      .string('files')!
      .split(',')
      .filter((n) => n !== '');
    const log = new FailureLog();
    for (const name of names) {
      if (name.startsWith('bad')) log.add(name, new Error(`cannot decode ${name}`));
    }
    context.stderr.write(log.summary(names.length));
    return log.exitCode;
  },
};

const broken: Command = {
  spec: { name: 'broken', summary: 'Always fails.', positionals: [], options: [], examples: [] },
  async run() {
    throw new InvalidArgumentError('x', 'broken: the whole run failed.');
  },
};

describe('runCli', () => {
  it('--version prints the package version; --help the program help; no command prints help with code 2', async () => {
    let io = captureCliOutput();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(io.out()).toBe(`${packageVersion}\n`);
    io = captureCliOutput();
    expect(await runCli(['-h'], io)).toBe(0);
    expect(io.out()).toContain('Usage: fundus-kit <command> [options]');
    expect(io.out()).toMatch(/preprocess\s+Crop, resize and recolour/);
    expect(io.out()).toMatch(/report\s+Write one self-contained HTML report/);
    io = captureCliOutput();
    expect(await runCli([], io)).toBe(USAGE_EXIT_CODE);
    expect(io.err()).toContain('Usage: fundus-kit <command>');
  });

  it("prints a command's help for 'help <command>' and '<command> --help'", async () => {
    let io = captureCliOutput();
    expect(await runCli(['help', 'preprocess'], io)).toBe(0);
    const viaHelp = io.out();
    io = captureCliOutput();
    expect(await runCli(['preprocess', '--help'], io)).toBe(0);
    expect(io.out()).toBe(viaHelp);
    expect(viaHelp).toContain('Usage: fundus-kit preprocess <in> <out> [options]');
    expect(viaHelp).toMatch(/--size <px>\s+Side of the square output, in pixels \(default: 512\)\./);
  });

  it('an unknown command or option is a usage error (code 2) that names the fix', async () => {
    let io = captureCliOutput();
    expect(await runCli(['preproces', 'a', 'b'], io)).toBe(2);
    expect(io.err()).toContain("Unknown command 'preproces'. Did you mean 'preprocess'?");
    io = captureCliOutput();
    expect(await runCli(['preprocess', 'a', 'b', '--sze', '256'], io)).toBe(2);
    expect(io.err()).toBe(
      "Unknown option --sze. Did you mean --size? Run 'fundus-kit preprocess --help' for usage.\n",
    );
    io = captureCliOutput();
    expect(await runCli(['--size', '3'], io)).toBe(2);
    expect(io.err()).toContain('Options go after the command');
  });

  it('exit code 1 and the failure list when some files fail; 0 when none do', async () => {
    const commands = [batch, broken];
    let io = captureCliOutput();
    expect(await runCli(['batch', '--files', 'a,bad1,c,bad2'], { ...io, commands })).toBe(1);
    expect(io.err()).toBe('2 of 4 files failed:\n  bad1: cannot decode bad1\n  bad2: cannot decode bad2\n');
    io = captureCliOutput();
    expect(await runCli(['batch', '--files', 'a,b'], { ...io, commands })).toBe(0);
    expect(io.err()).toBe('');
    io = captureCliOutput();
    expect(await runCli(['broken'], { ...io, commands })).toBe(1);
    expect(io.err()).toBe('fundus-kit broken: broken: the whole run failed.\n');
  });

  it('runs as an executable: the #!/usr/bin/env node entry under tsx', () => {
    expect(
      readFileSync(new URL('./main.ts', import.meta.url), 'utf8').startsWith('#!/usr/bin/env node\n'),
    ).toBe(true);
    const result = spawnSync('npx', ['tsx', 'src/cli/main.ts', '--help'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(0);
    expect(result.stdout.startsWith('Usage: fundus-kit <command> [options]')).toBe(true);
  });
});
