import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The real fundus photographs beside the checkout (`../shared/data`, or FUNDUS_DATA). Node tests only; never
 * copied into the repository. A test that needs them fails with this message if they are missing.
 */
export const DATA_DIR =
  process.env.FUNDUS_DATA ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/data');

export function dataPath(relative: string): string {
  const path = join(DATA_DIR, relative);
  if (!existsSync(path)) {
    throw new Error(
      `Test data ${path} is missing: put the shared data beside the checkout or set FUNDUS_DATA.`,
    );
  }
  return path;
}
