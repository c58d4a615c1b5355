import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { CommandContext } from './command.js';

/**
 * Writes `text` to `file` through `<file>.partial`, renamed when complete, so a reader never sees half a file;
 * Ctrl-C meanwhile removes the partial file. Creates the folder.
 */
export async function writeTextAtomically(
  context: CommandContext,
  file: string,
  text: string,
): Promise<void> {
  await mkdir(dirname(resolve(file)), { recursive: true });
  const partial = `${file}.partial`;
  const release = context.interrupt.register(() => rm(partial, { force: true }));
  try {
    await writeFile(partial, text);
    await rename(partial, file);
  } catch (e) {
    await rm(partial, { force: true });
    throw e;
  } finally {
    release();
  }
}
