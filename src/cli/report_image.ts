import { ReportDataError } from './report_data.js';

const DATA_URI = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The image type of the first bytes of a file: PNG, JPEG, GIF or WebP, else `undefined`. */
export function sniffImageType(bytes: Uint8Array): 'png' | 'jpeg' | 'gif' | 'webp' | undefined {
  const b = (i: number) => bytes[i] ?? -1;
  if (b(0) === 0x89 && b(1) === 0x50 && b(2) === 0x4e && b(3) === 0x47) return 'png';
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return 'jpeg';
  if (b(0) === 0x47 && b(1) === 0x49 && b(2) === 0x46) return 'gif';
  if (b(0) === 0x52 && b(1) === 0x49 && b(2) === 0x46 && b(3) === 0x46 && b(8) === 0x57 && b(9) === 0x45)
    return 'webp';
  return undefined;
}

/** Whether `value` is bare base64 (no `data:` prefix) of a PNG, JPEG, GIF or WebP file. */
export function isImageBase64(value: string): boolean {
  const compact = value.replace(/\s+/g, '');
  if (compact.length < 16 || compact.length % 4 !== 0 || !BASE64.test(compact)) return false;
  return sniffImageType(decodeHead(compact)) !== undefined;
}

function decodeHead(base64: string): Uint8Array {
  const head = atob(base64.slice(0, 16));
  return Uint8Array.from(head, (c) => c.charCodeAt(0));
}

/**
 * A report image as a `data:` URI that can go into `<img src>`: a valid data URI as it is (whitespace removed),
 * bare base64 of an image file with its type sniffed. Anything else (a URL, a file path) is refused, so the page
 * never loads anything from outside itself.
 *
 * @throws {@link ReportDataError} naming `field`.
 */
export function imageDataUri(value: string, field: string): string {
  const compact = value.replace(/\s+/g, '');
  if (compact.startsWith('data:')) {
    if (DATA_URI.test(compact)) return compact;
    throw new ReportDataError(
      field,
      'must be a base64 data URI of a PNG, JPEG, GIF or WebP image (data:image/png;base64,…).',
      value.slice(0, 40),
    );
  }
  if (isImageBase64(compact)) {
    const type = sniffImageType(decodeHead(compact))!;
    return `data:image/${type};base64,${compact}`;
  }
  throw new ReportDataError(
    field,
    `must be a data URI or base64 of an image, but got '${value.slice(0, 40)}'; file paths are turned into data URIs by 'fundus-kit report' (resolveReportImages), and URLs are not allowed in a self-contained report.`,
    value.slice(0, 40),
  );
}
