// Adds package-lock.json entries for platform-specific optional packages (biome, rollup, … binaries for
// other OSes/CPUs) that the npm registry mirror used here does not have. `npm install` leaves them out of the
// lock when their download 404s, and then `npm ci` refuses the lock ("Missing: @rollup/rollup-darwin-arm64@
// from lock file"). Each stub carries os/cpu/libc taken from the package name, so npm never installs it on a
// machine it does not fit (nor fetches it); where it fits, npm fetches it by name@version as usual.
// Run after `npm install` changes the lock:  node scripts/lock_platform_stubs.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const OS = [
  'android',
  'darwin',
  'freebsd',
  'openbsd',
  'openharmony',
  'linux',
  'win32',
  'sunos',
  'aix',
  'netbsd',
];
const CPU = ['arm64', 'x64', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x', 'mips64el', 'arm'];

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.find((p) => CPU.includes(p));
  if (!os || !cpu) return undefined;
  const libc = os !== 'linux' ? undefined : parts.some((p) => p.startsWith('musl')) ? 'musl' : 'glibc';
  return { os: [os], cpu: [cpu], ...(libc && { libc: [libc] }) };
}

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const added = [];
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    // npm would place it next to its parent (hoisted to the top when nothing else claims that name).
    const nested = `${path ? `${path}/` : ''}node_modules/${dep}`;
    if (lock.packages[nested] || lock.packages[`node_modules/${dep}`]) continue;
    const platform = platformOf(dep);
    if (!platform) continue; // not a platform binary: a real gap in the lock, leave it for npm to report
    const stub = { ...platform, dev: entry.dev, optional: true };
    const keys = Object.keys(stub).sort(); // npm's own order: version, then the rest alphabetically
    lock.packages[`node_modules/${dep}`] = { version, ...Object.fromEntries(keys.map((k) => [k, stub[k]])) };
    added.push(
      `${dep}@${version} (${platform.os}/${platform.cpu}${platform.libc ? `/${platform.libc}` : ''})`,
    );
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a && b ? a.localeCompare(b) : a ? 1 : -1)),
);
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length ? `added ${added.length} stubs:\n  ${added.join('\n  ')}` : 'lock already complete');
