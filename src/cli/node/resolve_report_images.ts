import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { type ReportData, ReportDataError } from '../report_data.js';
import { isImageBase64, sniffImageType } from '../report_image.js';

/**
 * A copy of `data` whose gallery images that are file paths (relative to `baseDir`) are read and inlined as
 * base64 data URIs, so {@link renderReport} can make a self-contained page. Data URIs and base64 are kept;
 * URLs are refused. Node only.
 *
 * @example
 * ```ts
 * const data = validateReportData(JSON.parse(await readFile('results/report.json', 'utf8')));
 * const html = renderReport(await resolveReportImages(data, 'results'));
 * ```
 * @throws {@link ReportDataError} naming the field, for a URL, a missing file or a file that is not a PNG,
 * JPEG, GIF or WebP image.
 */
export async function resolveReportImages(data: ReportData, baseDir: string): Promise<ReportData> {
  if (data.gallery === undefined) return data;
  const photos = [];
  for (const [i, photo] of data.gallery.photos.entries()) {
    const copy = { ...photo };
    copy.image = await inline(photo.image, baseDir, `gallery.photos[${i}].image`);
    if (photo.overlay !== undefined)
      copy.overlay = await inline(photo.overlay, baseDir, `gallery.photos[${i}].overlay`);
    photos.push(copy);
  }
  return { ...data, gallery: { ...data.gallery, photos } };
}

async function inline(value: string, baseDir: string, field: string): Promise<string> {
  if (value.startsWith('data:') || isImageBase64(value)) return value;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new ReportDataError(
      field,
      `is a URL ('${value}'); a self-contained report needs the image file or its base64.`,
      value,
    );
  }
  const path = isAbsolute(value) ? value : resolve(baseDir, value);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new ReportDataError(
      field,
      `names ${path}, which ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}.`,
      value,
    );
  }
  const type = sniffImageType(bytes);
  if (type === undefined)
    throw new ReportDataError(field, `names ${path}, which is not a PNG, JPEG, GIF or WebP image.`, value);
  return `data:image/${type};base64,${Buffer.from(bytes).toString('base64')}`;
}
