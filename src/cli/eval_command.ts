import type { Command } from './command.js';
import { BACKEND_OPTION, QUIET_OPTION } from './common_options.js';
import { CSV_LAYOUT_OPTIONS } from './label_options.js';

const NAME = 'eval';

/** `fundus-kit eval <model> <labels.csv>`: scores a trained model on labelled photos, optionally as an HTML report. */
export const evalCommand: Command = {
  spec: {
    name: NAME,
    summary: 'Score a trained model on a labels CSV: metrics, confusion matrix, and an optional HTML report.',
    description:
      "Prepares every photo as the model's card says (the preprocessing it was trained with), predicts, and " +
      'prints accuracy and AUC (binary, multi-class, multi-label) or quadratic weighted kappa (grade), for the ' +
      'model and, for a jointly fine-tuned model, for each branch alone; then per-class precision, recall and ' +
      'F1 and the confusion matrix. The CSV columns and binary label values default to those the model was ' +
      'trained with. --report writes one self-contained HTML page (metrics, confusion matrix, ROC curves, the ' +
      'training curves, and photos with Grad-CAM overlays).',
    positionals: [
      { name: 'model', description: "A model folder written by 'fundus-kit train'." },
      { name: 'csv', description: 'The labels CSV to score on.' },
    ],
    options: [
      ...CSV_LAYOUT_OPTIONS,
      {
        name: 'split',
        type: 'string',
        default: 'val',
        valueName: 'value',
        description: 'With --split-column: score the rows holding this value.',
      },
      {
        name: 'held-out',
        type: 'boolean',
        default: false,
        description:
          "Score only the held-out photos of the model's training (its split column and value, or its seeded ratio).",
      },
      {
        name: 'report',
        short: 'r',
        type: 'string',
        valueName: 'file.html',
        description: 'Also write an HTML report here.',
      },
      {
        name: 'json',
        type: 'string',
        valueName: 'file.json',
        description: "Also write the results as JSON (the report's data; `fundus-kit report` renders it).",
      },
      {
        name: 'gallery',
        type: 'integer',
        default: 8,
        min: 0,
        max: 200,
        valueName: 'n',
        description: 'Photos with Grad-CAM overlays in the report (the first n rows).',
      },
      {
        name: 'batch-size',
        type: 'integer',
        default: 16,
        min: 1,
        max: 4096,
        description: 'Photos per prediction batch.',
      },
      BACKEND_OPTION,
      QUIET_OPTION,
    ],
    examples: [
      'eval models/quality quality.csv --held-out --report quality.html',
      'eval models/dr labels.csv --split-column split --split test --json results.json',
    ],
  },
  run: async (args, context) => (await import('./eval_run.js')).runEval(args, context),
};
