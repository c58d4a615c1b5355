import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MODEL_CARD_FILE, type ModelCard, ModelCardError, parseModelCard } from '../model_card.js';

/** The card's path for a model folder, or the path itself when it names a `.json` file. */
async function cardPath(path: string): Promise<string> {
  if (path.toLowerCase().endsWith('.json') && !path.endsWith('model.json')) return path;
  try {
    if ((await stat(path)).isDirectory()) return join(path, MODEL_CARD_FILE);
  } catch {
    // reported by the read below
  }
  return path.endsWith('model.json') ? join(path, '..', MODEL_CARD_FILE) : join(path, MODEL_CARD_FILE);
}

/**
 * Reads and validates the model card of a saved model: pass the model's folder, its `model.json`, or the
 * card file itself. Node only.
 *
 * @example
 * ```ts
 * const card = await readModelCard('models/quality');
 * const prepare = fundusPipeline(card.preprocessing);
 * ```
 * @throws {@link ModelCardError} for a missing or unreadable file, invalid JSON, or an invalid field (named).
 */
export async function readModelCard(path: string): Promise<ModelCard> {
  const file = await cardPath(path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new ModelCardError(
      file,
      '',
      code === 'ENOENT'
        ? `does not exist: a fundus-kit model folder holds model.json and ${MODEL_CARD_FILE}.`
        : `cannot be read (${code ?? String(e)}).`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ModelCardError(file, '', `is not valid JSON (${e instanceof Error ? e.message : String(e)}).`);
  }
  return parseModelCard(json, file);
}

/**
 * Writes `card` (validated first) as `fundus-kit.json` in `folder`, atomically (a temporary file renamed),
 * so an interrupted save never leaves half a card. Node only.
 *
 * @returns The card's path.
 * @example
 * ```ts
 * await model.save('file://models/quality');
 * await writeModelCard('models/quality', createModelCard({ task: 'binary', classes: ['good', 'poor'], … }));
 * ```
 * @throws {@link ModelCardError} naming an invalid field.
 */
export async function writeModelCard(folder: string, card: ModelCard): Promise<string> {
  const valid = parseModelCard(card, 'writeModelCard');
  await mkdir(folder, { recursive: true });
  const file = join(folder, MODEL_CARD_FILE);
  const partial = `${file}.partial`;
  await writeFile(partial, `${JSON.stringify(valid, null, 2)}\n`);
  await rename(partial, file);
  return file;
}
