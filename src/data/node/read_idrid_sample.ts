import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { cast, dispose, greater, max, type Tensor2D, type Tensor3D, tidy } from '@tensorflow/tfjs-core';
import { InvalidArgumentError, ShapeError } from '../../errors.js';
import { readImage } from '../../io/node/read_image.js';
import { DEFAULT_MAX_PIXELS } from '../../io/pixels.js';
import { DatasetError } from '../data_errors.js';
import { IDRID_LESION_TYPES } from '../lesion_patches.js';
import { parseCsv } from '../parse_csv.js';

/** Arguments of {@link readIdridSample}. */
export interface ReadIdridSampleArgs {
  /**
   * Mask columns to read (each names a mask path; `<type>_px`, when present, its pixel count).
   * @defaultValue `['MA', 'HE', 'EX', 'SE']`
   */
  lesionTypes?: readonly string[];
  /**
   * Column holding the photo's path.
   * @defaultValue `'image'`
   */
  imageColumn?: string;
  /**
   * Largest image (width × height) that will be decoded; see `readImage`.
   * @defaultValue 50 000 000
   */
  maxPixels?: number;
}

/** One photo with its lesion masks. The tensors belong to the caller (dispose them). */
export interface IdridSample {
  /** RGB float32 [H, W, 3], 0-255. */
  image: Tensor3D;
  /** Binary float32 [H, W] masks (1 = lesion) for the types whose mask cell is not blank. */
  masks: Record<string, Tensor2D>;
  /** Lesion pixels per type as the CSV's `<type>_px` columns state them (types without that column left out). */
  pixelCounts: Record<string, number>;
  /** The photo's file, resolved. */
  file: string;
  /** Its CSV line. */
  line: number;
}

/**
 * Reads one photo and its lesion masks from an IDRiD-style labels CSV (`image,MA,MA_px,HE,HE_px,…`, paths
 * relative to the CSV's folder; masks 0/255 PNGs of the photo's size), ready for {@link lesionPatches}.
 *
 * @param labelsCsv The labels CSV, e.g. `../shared/data/idrid/labels.csv`.
 * @param image The photo: its image cell (`images/IDRiD_01.jpg`), file name or name without extension (`IDRiD_01`).
 * @example
 * ```ts
 * const sample = await readIdridSample('../shared/data/idrid/labels.csv', 'IDRiD_03');
 * const patches = lesionPatches(sample.image, sample.masks, { patchSize: 16 });
 * tf.dispose([sample.image, ...Object.values(sample.masks)]);
 * ```
 * @throws {@link InvalidArgumentError} when no row names `image`.
 * @throws {@link DatasetError} for a missing or empty CSV or a missing column.
 * @throws {@link ImageDecodeError} for a photo or mask that cannot be read.
 * @throws {@link ShapeError} when a mask's size differs from the photo's.
 */
export async function readIdridSample(
  labelsCsv: string,
  image: string,
  args: ReadIdridSampleArgs = {},
): Promise<IdridSample> {
  const fn = 'readIdridSample';
  const lesionTypes = args.lesionTypes ?? IDRID_LESION_TYPES;
  const imageColumn = args.imageColumn ?? 'image';
  let text: string;
  try {
    text = await readFile(labelsCsv, 'utf8');
  } catch (e) {
    throw new DatasetError(
      'missing-file',
      `${fn}: cannot read ${labelsCsv}.`,
      { source: labelsCsv, file: labelsCsv },
      e,
    );
  }
  if (text.replace(/^\uFEFF/, '').trim() === '') {
    throw new DatasetError('empty-csv', `${fn}: ${labelsCsv} is empty.`, { source: labelsCsv });
  }
  const { header, headerLine, records } = parseCsv(text, { source: labelsCsv });
  for (const column of [imageColumn, ...lesionTypes]) {
    if (!header.includes(column)) {
      throw new DatasetError(
        'missing-column',
        `${fn}: ${labelsCsv} line ${headerLine}: no column '${column}'; the columns are ${header.join(', ')}.`,
        { source: labelsCsv, line: headerLine },
      );
    }
  }
  const cell = (fields: string[], column: string) => (fields[header.indexOf(column)] ?? '').trim();
  const record = records.find(({ fields }) => {
    const path = cell(fields, imageColumn);
    return path === image || basename(path) === image || basename(path, extname(path)) === image;
  });
  if (record === undefined) {
    const names = records.slice(0, 5).map(({ fields }) => cell(fields, imageColumn));
    throw new InvalidArgumentError(
      'image',
      `${fn}: no row of ${labelsCsv} has image '${image}' (e.g. ${names.join(', ')}).`,
      image,
    );
  }

  const root = dirname(labelsCsv);
  const maxPixels = args.maxPixels ?? DEFAULT_MAX_PIXELS;
  const file = resolve(root, cell(record.fields, imageColumn));
  const photo = await readImage(file, { maxPixels });
  const masks: Record<string, Tensor2D> = {};
  const pixelCounts: Record<string, number> = {};
  try {
    for (const type of lesionTypes) {
      const path = cell(record.fields, type);
      const count = header.includes(`${type}_px`) ? cell(record.fields, `${type}_px`) : '';
      if (count !== '') pixelCounts[type] = Number(count);
      if (path === '') continue;
      const maskFile = resolve(root, path);
      const rgb = await readImage(maskFile, { maxPixels });
      if (rgb.shape[0] !== photo.shape[0] || rgb.shape[1] !== photo.shape[1]) {
        rgb.dispose();
        throw new ShapeError(
          `${fn}: mask ${maskFile} is ${rgb.shape[1]}×${rgb.shape[0]} but the photo ${file} is ${photo.shape[1]}×${photo.shape[0]}.`,
          rgb.shape,
        );
      }
      masks[type] = tidy(() => {
        // Masks are 0/255 grey (read as RGB): lesion where they are over half scale. A max over the channels is
        // much cheaper than slicing one out on wasm.
        return cast(greater(max(rgb, 2), 127.5), 'float32') as Tensor2D;
      });
      rgb.dispose();
    }
  } catch (e) {
    dispose([photo, ...Object.values(masks)]);
    throw e;
  }
  return { image: photo, masks, pixelCounts, file, line: record.line };
}
