import { stat } from 'node:fs/promises';

/** Why `file` cannot be an image file (missing, a directory, unreadable), or undefined when it is a file. */
export async function whyNotAFile(file: string): Promise<string | undefined> {
  try {
    const info = await stat(file);
    return info.isFile() ? undefined : 'it is not a file (a directory?)';
  } catch (e) {
    const code = (e as { code?: string }).code;
    return code === 'ENOENT' ? 'no such file' : `cannot stat it (${code ?? String(e)})`;
  }
}
