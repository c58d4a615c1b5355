import { readdir } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { InvalidArgumentError } from '../../errors.js';
import { readImage } from '../../io/node/read_image.js';
import { DEFAULT_MAX_PIXELS } from '../../io/pixels.js';
import { buildDataset, type SourceRow } from '../build_dataset.js';
import { DatasetError } from '../data_errors.js';
import type { DatasetArgs } from '../dataset_args.js';
import type { FundusDataset } from '../fundus_dataset.js';
import type { RatioSplit } from '../split.js';

/** Image file extensions `fromFolder` reads by default (what sharp decodes), case-insensitive. */
export const IMAGE_EXTENSIONS: readonly string[] = [
  '.jpg',
  '.jpeg',
  '.png',
  '.tif',
  '.tiff',
  '.webp',
  '.gif',
];

/** Arguments of {@link fromFolder}: the folder layout, plus everything in {@link DatasetArgs}. */
export interface FromFolderArgs extends Omit<DatasetArgs, 'separator'> {
  /**
   * A seeded (stratified) ratio split; a folder has no split column.
   * @defaultValue undefined (all images)
   */
  split?: RatioSplit;
  /**
   * File extensions read as images (case-insensitive); other files are ignored.
   * @defaultValue `['.jpg', '.jpeg', '.png', '.tif', '.tiff', '.webp', '.gif']`
   */
  extensions?: readonly string[];
  /**
   * Largest image (width × height) that will be decoded; see `readImage`.
   * @defaultValue 50 000 000
   */
  maxPixels?: number;
}

/**
 * A streaming `tf.data.Dataset` of `{xs, ys}` batches from one subfolder per class (`root/cataract/*.jpg`,
 * `root/normal/*.jpg`, …; Keras' `image_dataset_from_directory` layout). Class folders are sorted, and the images
 * in each (subfolders included, hidden ones not) by path, so the order is the same on every machine. Tasks
 * `multiclass` (default), `binary` (two folders: give `classes: [negative, positive]` or `positive`, unless they
 * are named 0 and 1) and `grade` (folders named 0 … 4). Node only; see {@link FundusDataset} for what it returns.
 *
 * @param root The folder holding one folder per class.
 * @example
 * ```ts
 * const { dataset, classes } = await fromFolder('../shared/data/eye-diseases', {
 *   size: 224, split: { ratio: 0.2, subset: 'train' },
 * });
 * // classes: ['cataract', 'diabetic_retinopathy', 'glaucoma', 'normal']
 * ```
 * @throws {@link DatasetError} when `root` cannot be read or holds no image, for an empty subset, and while
 * streaming for an undecodable image (with `onError: 'throw'`).
 * @throws {@link InvalidArgumentError} for `task: 'multilabel'`, a class with no folder, or invalid arguments.
 */
export async function fromFolder(root: string, args: FromFolderArgs = {}): Promise<FundusDataset> {
  const fn = 'fromFolder';
  if ((args.task ?? 'multiclass') === 'multilabel') {
    throw new InvalidArgumentError(
      'task',
      `${fn}: a folder per class gives one label per image, so task 'multilabel' needs fromCsv.`,
      args.task,
    );
  }
  if (args.split !== undefined && !('ratio' in args.split)) {
    throw new InvalidArgumentError(
      'split',
      `${fn}: a folder has no split column; use split: {ratio, subset} (or one folder per split).`,
      args.split,
    );
  }
  const extensions = new Set((args.extensions ?? IMAGE_EXTENSIONS).map((e) => e.toLowerCase()));
  const folders = await classFolders(fn, root);
  const wanted = args.task === 'grade' || args.classes === undefined ? folders : [...args.classes];
  const absent = wanted.filter((c) => !folders.includes(c));
  if (absent.length > 0) {
    throw new InvalidArgumentError(
      'classes',
      `${fn}: no folder for class ${absent.map((c) => `'${c}'`).join(', ')} in ${root} (folders: ${folders.join(', ')}).`,
      args.classes,
    );
  }

  const rows: SourceRow[] = [];
  for (const folder of [...wanted].sort()) {
    for (const file of await imagesUnder(join(root, folder), extensions)) {
      rows.push({ file: resolve(file), line: undefined, labels: [folder] });
    }
  }
  if (rows.length === 0) {
    throw new DatasetError(
      'no-images',
      `${fn}: ${root} has no images (${[...extensions].join(', ')}) in its class folders (${folders.join(', ') || 'none'}).`,
      { source: root },
    );
  }

  const maxPixels = args.maxPixels ?? DEFAULT_MAX_PIXELS;
  return buildDataset({
    fn,
    source: root,
    rows,
    labelColumns: ['folder'],
    flagColumns: false,
    args,
    split: args.split,
    checkFile: undefined, // just listed
    load: (file) => readImage(file, { maxPixels }),
  });
}

async function classFolders(fn: string, root: string): Promise<string[]> {
  try {
    const entries = await readdir(root, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'it is not a folder' : String(e);
    throw new DatasetError(
      'missing-file',
      `${fn}: cannot read ${root}: ${why}.`,
      { source: root, file: root },
      e,
    );
  }
}

/** Image files under `dir`, recursively, hidden entries skipped, sorted by path (code-point order). */
async function imagesUnder(dir: string, extensions: ReadonlySet<string>): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await imagesUnder(path, extensions)));
    else if (entry.isFile() && extensions.has(extname(entry.name).toLowerCase())) out.push(path);
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
