import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import type { ParsedArgs } from './args_parser.js';
import type { Command, CommandContext } from './command.js';
import { resolveReportImages } from './node/resolve_report_images.js';
import { renderReport } from './render_report.js';
import { validateReportData } from './report_data.js';
import { UsageError } from './usage_error.js';
import { writeTextAtomically } from './write_text_atomically.js';

const NAME = 'report';

/** `fundus-kit report <data.json> [out.html]`: one self-contained HTML page from a {@link ReportData} JSON file. */
export const reportCommand: Command = {
  spec: {
    name: NAME,
    summary:
      'Write one self-contained HTML report (metrics, confusion matrix, ROC, training curves, Grad-CAM photos).',
    description:
      'Reads a JSON file of results (title, summary, tables, confusionMatrix, roc, training.history, gallery; see ' +
      'the ReportData type) and writes one HTML file with inline CSS, SVG charts and the photos embedded as data ' +
      'URIs, so it can be mailed or archived alone. Image paths in the JSON are relative to the JSON file.',
    positionals: [
      { name: 'data', description: 'The report data, a JSON file.' },
      { name: 'out', description: 'The HTML file to write (default: <data> with .html).', optional: true },
    ],
    options: [
      {
        name: 'title',
        short: 't',
        type: 'string',
        valueName: 'text',
        defaultText: "the JSON's title",
        description: 'Page title.',
      },
    ],
    examples: [
      'report results/report.json results/report.html',
      'report eval.json --title "Quality, held-out split"',
    ],
  },
  run: runReport,
};

async function runReport(args: ParsedArgs, context: CommandContext): Promise<number> {
  const [input, outArg] = args.positionals as [string, string | undefined];
  if (extname(input).toLowerCase() !== '.json') {
    throw new UsageError(`${NAME}: <data> must be a .json file, but got '${input}'.`, NAME, input);
  }
  const out = outArg ?? `${input.slice(0, input.length - extname(input).length)}.html`;
  if (!['.html', '.htm'].includes(extname(out).toLowerCase())) {
    throw new UsageError(`${NAME}: <out> must end in .html, but got '${out}'.`, NAME, out);
  }
  let text: string;
  try {
    text = await readFile(input, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new UsageError(
      `${NAME}: cannot read '${input}' (${code === 'ENOENT' ? 'no such file' : code}).`,
      NAME,
      input,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${input} is not valid JSON (${e instanceof Error ? e.message : String(e)}).`);
  }
  const title = args.string('title');
  const data = validateReportData(title === undefined ? json : { ...(json as object), title });
  const html = renderReport(await resolveReportImages(data, dirname(resolve(input))));
  await writeTextAtomically(context, out, html);
  context.stdout.write(`${NAME}: wrote ${out} (${Math.round(html.length / 1024)} KiB)\n`);
  return 0;
}
