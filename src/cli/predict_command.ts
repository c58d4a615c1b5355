import type { Command } from './command.js';
import { BACKEND_OPTION, CSV_INPUT_OPTIONS, QUIET_OPTION } from './common_options.js';

const NAME = 'predict';

/** `fundus-kit predict <model> <input>`: a trained model's answer for every photo, as CSV. */
export const predictCommand: Command = {
  spec: {
    name: NAME,
    summary: "Predict with a trained model: one CSV row per photo (answer, score, each class's probability).",
    description:
      "Reads photos (a folder, searched recursively; a CSV's image column; or one image file), prepares each " +
      "as the model's card says, and writes CSV rows: file, predicted (a class; multi-label: the labels above " +
      'the threshold joined by ;, or none; grade: the grade), score (binary: P(positive); multi-class: the top ' +
      'probability; grade: the expected grade), then one column per class (grade: P(grade > k)). Photos are ' +
      'read one at a time. A photo that fails is listed at the end and the exit code is 1; the others are still ' +
      'predicted.',
    positionals: [
      { name: 'model', description: "A model folder written by 'fundus-kit train'." },
      { name: 'input', description: 'A folder of photos, a CSV with an image column, or one image file.' },
    ],
    options: [
      {
        name: 'out',
        short: 'o',
        type: 'string',
        valueName: 'file.csv',
        defaultText: 'standard output',
        description: 'Write the CSV here.',
      },
      ...CSV_INPUT_OPTIONS,
      BACKEND_OPTION,
      QUIET_OPTION,
    ],
    examples: ['predict models/quality photos/ --out quality.csv', 'predict models/dr eye.jpg'],
  },
  run: async (args, context) => (await import('./predict_run.js')).runPredict(args, context),
};
