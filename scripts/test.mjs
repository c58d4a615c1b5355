// `npm test`: runs Vitest (projects `node` and `browser`, see vitest.config.ts) and ends with one summary line,
// `N passed, N failed[, N skipped]`, read from Vitest's JSON report, so CI logs end with a parseable result.
//
//   node scripts/test.mjs [vitest args…]        e.g. `npm test -- --project node src/backend`
//   FUNDUS_TEST_PROJECT=node|browser             same as `--project node|browser`
//
// Vitest runs on the Node that runs this script (`npm run test:node24` starts it with Node 24).
// Exit code: Vitest's, and 1 when no test ran or the report is missing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

const args = process.argv.slice(2);
if (process.env.FUNDUS_TEST_PROJECT) args.unshift('--project', process.env.FUNDUS_TEST_PROJECT);

// Projects asked for with `--project x` / `--project=x`; none means all of them.
const projects = args.flatMap((a, i) =>
  a === '--project' ? [args[i + 1]] : a.startsWith('--project=') ? [a.slice('--project='.length)] : [],
);
const wantsBrowser = projects.length === 0 || projects.some((p) => p?.includes('browser'));

// The browser project drives the system Chromium (we never download one); vitest.config.ts looks in the same places.
if (wantsBrowser) {
  const chromium =
    process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);
  if (!chromium || !existsSync(chromium)) {
    console.error(
      `scripts/test.mjs: no Chromium found (${process.env.CHROMIUM_PATH ? `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist` : 'looked for /usr/bin/chromium and /usr/bin/chromium-browser'}).\n` +
        'The browser tests need one. Install it with `apt-get install chromium` (Debian/Ubuntu), or set\n' +
        'CHROMIUM_PATH to a Chromium/Chrome binary. To run only the Node tests: `npm run test:node`.',
    );
    process.exit(1);
  }
}

// One report file per Node major and project choice, so `test` and `test:node24` do not overwrite each other.
const dir = resolve(import.meta.dirname, '..', 'test-results');
mkdirSync(dir, { recursive: true });
const report = join(
  dir,
  `vitest-node${process.versions.node.split('.')[0]}-${projects.join('+') || 'all'}.json`,
);
rmSync(report, { force: true });

console.log(`Node ${process.version} (${process.execPath}); projects: ${projects.join(', ') || 'all'}`);
// Vitest's CLI entry (its package exports do not expose it, so go through package.json's `bin`).
const vitestPkg = createRequire(import.meta.url).resolve('vitest/package.json');
const vitest = join(dirname(vitestPkg), JSON.parse(readFileSync(vitestPkg, 'utf8')).bin.vitest);
const run = spawnSync(
  process.execPath,
  [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args],
  { stdio: 'inherit' },
);
let code = run.status ?? 1; // null: killed by a signal

if (!existsSync(report)) {
  console.error(
    `scripts/test.mjs: Vitest wrote no JSON report (${relative(process.cwd(), report)}); it failed before running tests.`,
  );
  console.log('0 passed, 0 failed');
  process.exit(code || 1);
}
const r = JSON.parse(readFileSync(report, 'utf8'));
const skipped = r.numPendingTests + r.numTodoTests;
// Files that failed outside any test (import errors, errors in hooks) fail the run without failing a test.
const brokenFiles = r.testResults.filter(
  (f) => f.status === 'failed' && !f.assertionResults.some((t) => t.status === 'failed'),
);
for (const f of brokenFiles)
  console.error(`FAILED outside a test: ${f.name}: ${f.message?.split('\n')[0] ?? ''}`);
if (r.numPassedTests + r.numFailedTests === 0) {
  console.error('scripts/test.mjs: no tests ran.');
  code ||= 1;
}
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(code);
