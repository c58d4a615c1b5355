import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { IMAGE_EXTENSIONS } from '../data/node/from_folder.js';
import { parseCsv } from '../data/parse_csv.js';
import type { CommandContext } from './command.js';
import { FailureLog } from './failure_log.js';
import { UsageError } from './usage_error.js';

/** One image to process: where it is and where its output goes, relative to the output folder. */
export interface InputFile {
  /** The image's path. */
  path: string;
  /** Its path relative to the input root (the folder, or the CSV's root), used to mirror the tree. */
  relativePath: string;
  /** The CSV record it came from (CSV input only). */
  record?: { line: number; fields: string[] };
}

/** What {@link listInputs} found. */
export interface InputList {
  kind: 'folder' | 'csv' | 'file';
  /** The folder the relative paths start from. */
  root: string;
  files: InputFile[];
  /** Rows that name no usable path (CSV only), as `{path, reason}` for the failure list. */
  rejected: { path: string; reason: string }[];
  /** The CSV's header and image column (CSV only), to write the output CSV. */
  csv?: { header: string[]; column: number };
}

/** Arguments of {@link listInputs}. */
export interface ListInputsArgs {
  /** Command name for messages. */
  command: string;
  /** CSV column holding image paths. @defaultValue 'image' */
  imageColumn?: string;
  /** Folder CSV paths are relative to. @defaultValue the CSV's folder */
  root?: string;
  /** A folder left out of a recursive walk (the output, when it lies inside the input). */
  exclude?: string;
  /**
   * Accept one image file as the input, and CSV paths outside the root (their relative path is then the path
   * as written, so outputs cannot mirror the tree): for commands that write one output per input by name.
   * @defaultValue false
   */
  anyPath?: boolean;
}

/**
 * The images of a folder (recursively, sorted, by extension) or of a CSV's image column. Only paths: images
 * are read one at a time by the command.
 *
 * @throws {@link UsageError} for a missing input, a file that is not a CSV, a CSV without the column.
 */
export async function listInputs(input: string, args: ListInputsArgs): Promise<InputList> {
  const { command } = args;
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(input);
  } catch {
    throw new UsageError(
      `${command}: input '${input}' does not exist. Give a folder of images or a CSV file.`,
      command,
      input,
    );
  }
  if (info.isDirectory()) {
    const root = resolve(input);
    const exclude = args.exclude === undefined ? undefined : resolve(args.exclude);
    const files: InputFile[] = [];
    await walk(root, root, exclude, files);
    return { kind: 'folder', root, files, rejected: [] };
  }
  if (args.anyPath && IMAGE_EXTENSIONS.includes(extname(input).toLowerCase())) {
    const path = resolve(input);
    return {
      kind: 'file',
      root: dirname(path),
      files: [{ path, relativePath: basename(path) }],
      rejected: [],
    };
  }
  if (extname(input).toLowerCase() !== '.csv') {
    throw new UsageError(
      `${command}: input '${input}' is a file but not a .csv${args.anyPath ? ' or an image' : ''}; give a folder of images or a CSV with an image column.`,
      command,
      input,
    );
  }
  return listCsv(input, args);
}

async function walk(
  root: string,
  folder: string,
  exclude: string | undefined,
  out: InputFile[],
): Promise<void> {
  const entries = await readdir(folder, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const extensions = new Set(IMAGE_EXTENSIONS);
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue; // hidden files, our own partial outputs
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (path !== exclude) await walk(root, path, exclude, out);
    } else if (entry.isFile() && extensions.has(extname(entry.name).toLowerCase())) {
      out.push({ path, relativePath: relative(root, path) });
    }
  }
}

async function listCsv(input: string, args: ListInputsArgs): Promise<InputList> {
  const { command } = args;
  const table = parseCsv(await readFile(input, 'utf8'), { source: input });
  const name = args.imageColumn ?? 'image';
  const column = table.header.indexOf(name);
  if (column === -1) {
    throw new UsageError(
      `${command}: ${input} has no column '${name}'; its columns are ${table.header.join(', ')}. Choose one with --image-column.`,
      command,
      name,
    );
  }
  const root = resolve(args.root ?? dirname(input));
  const files: InputFile[] = [];
  const rejected: { path: string; reason: string }[] = [];
  for (const record of table.records) {
    const where = `${input}:${record.line}`;
    const value = record.fields[column]?.trim() ?? '';
    if (value === '') {
      rejected.push({ path: where, reason: `line ${record.line} has no image path in column '${name}'.` });
      continue;
    }
    const path = isAbsolute(value) ? value : resolve(root, value);
    const rel = relative(root, path);
    const outside = rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel);
    if (outside && args.anyPath) {
      files.push({ path, relativePath: value, record });
      continue;
    }
    if (outside) {
      rejected.push({
        path,
        reason: `line ${record.line}: the image lies outside ${root}, so its place in the output cannot mirror it; pass --root.`,
      });
      continue;
    }
    files.push({ path, relativePath: rel, record });
  }
  return { kind: 'csv', root, files, rejected, csv: { header: table.header, column } };
}

/** One CSV field, quoted when it holds the delimiter, a quote or a line break (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** What a batch command works through: the images, how many inputs in all, and the failures so far. */
export interface CommandInputs {
  list: InputList;
  /** Images plus rejected CSV rows: the denominator of the failure summary. */
  total: number;
  /** Starts with the CSV rows that name no usable image. */
  failures: FailureLog;
}

/**
 * {@link listInputs} for a batch command (`preprocess`, `predict`, `explain`): the rejected CSV rows go into a
 * {@link FailureLog}; with no input at all it says so on stderr and returns undefined (exit code 1).
 */
export async function commandInputs(
  context: CommandContext,
  input: string,
  args: ListInputsArgs,
): Promise<CommandInputs | undefined> {
  const list = await listInputs(input, args);
  const total = list.files.length + list.rejected.length;
  if (total === 0) {
    context.stderr.write(`${args.command}: no images (.jpg, .png, .tif, …) found in ${input}.\n`);
    return undefined;
  }
  const failures = new FailureLog();
  for (const r of list.rejected) failures.add(r.path, r.reason);
  return { list, total, failures };
}
