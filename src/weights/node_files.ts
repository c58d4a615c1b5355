import { FundusError } from '../errors.js';

interface NodeFs {
  readFile(path: string): Promise<Uint8Array>;
}

/**
 * Reads a file in Node without a static `node:fs` import, so this shared module stays out of browser
 * bundles' reach: `process.getBuiltinModule` (Node ≥ 20.16) hands the module over at run time.
 */
export async function readNodeFile(path: string, fn: string): Promise<Uint8Array> {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = proc?.getBuiltinModule?.('node:fs/promises') as NodeFs | undefined;
  if (fs === undefined) {
    throw new FundusError(
      `${fn}: reading '${path}' needs Node ≥ 20.16 (process.getBuiltinModule); pass the file's bytes instead.`,
      { value: path },
    );
  }
  const bytes = await fs.readFile(path);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** `file:///a/b` → `/a/b`; other strings unchanged. */
export function stripFileScheme(path: string): string {
  if (!path.startsWith('file://')) return path;
  return decodeURIComponent(path.slice('file://'.length));
}
