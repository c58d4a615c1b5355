import type { Command } from './command.js';
import { BACKEND_OPTION, QUIET_OPTION } from './common_options.js';
import { CLI_TASKS, CSV_LAYOUT_OPTIONS } from './label_options.js';
import { PREPROCESS_OPTIONS } from './preprocess_options.js';

const NAME = 'train';

/**
 * `fundus-kit train <labels.csv> <model>`: trains a classifier on a labels CSV and saves it with its model
 * card; with several backbones, jointly fine-tunes them (Sun et al., OMIA 2017).
 */
export const trainCommand: Command = {
  spec: {
    name: NAME,
    summary: 'Train a model on a labels CSV (one backbone, or several fine-tuned jointly) and save it.',
    description:
      'Reads a CSV of image paths and labels, prepares every photo as `preprocess` does (field-of-view crop, ' +
      'square resize, colour variant), trains, and saves the model (TF.js layers format) with fundus-kit.json ' +
      '(task, classes, preprocessing, held-out metrics) and training.json (per-epoch history) into <model>, so ' +
      '`eval`, `predict` and `explain` prepare new photos the same way. Photos are decoded as they are needed, ' +
      'so memory stays flat.\n\n' +
      'With one backbone, the model is that backbone with a fresh head for the task. With two or more, each ' +
      'gets its own head and they train together, the loss being the sum of the branch losses; the prediction ' +
      'is the mean of the branches (Sun et al., OMIA 2017). --explore first trains every listed backbone ' +
      'briefly under the same budget and keeps the --top best.\n\n' +
      'Held-out photos come from --split-column (rows whose value is --val-split) or, without it, a seeded ' +
      'stratified --val-ratio of the rows. After every epoch the model is scored on them; the best epoch is ' +
      'kept. The model is written to a temporary folder and renamed at the end: Ctrl-C leaves no half-written ' +
      "model behind. Inputs are scaled to [0, 1], except --colour vgg, the network's native input (use it with " +
      'keras.applications ImageNet weights, --weights).',
    positionals: [
      { name: 'csv', description: 'The labels CSV (a header row; an image column and a label column).' },
      { name: 'model', description: 'Folder to save the model in (must not exist, unless --overwrite).' },
    ],
    options: [
      {
        name: 'task',
        short: 't',
        type: 'choice',
        choices: CLI_TASKS,
        default: 'multiclass',
        description: 'What the labels mean (binary: 0/1, or see --positive; grade: 0-4)',
      },
      ...CSV_LAYOUT_OPTIONS,
      {
        name: 'classes',
        type: 'string',
        valueName: 'names',
        defaultText: 'the labels found, sorted',
        description:
          'Comma-separated classes in output order (multiclass, multilabel); binary: names of [negative, positive].',
      },
      {
        name: 'train-split',
        type: 'string',
        default: 'train',
        valueName: 'value',
        description: 'With --split-column: the value marking training rows.',
      },
      {
        name: 'val-split',
        type: 'string',
        default: 'val',
        valueName: 'value',
        description: 'With --split-column: the value marking held-out rows.',
      },
      {
        name: 'val-ratio',
        type: 'number',
        default: 0.2,
        min: 0.01,
        max: 0.9,
        valueName: 'fraction',
        description: 'Without --split-column: fraction of the rows held out (stratified by class, seeded).',
      },
      {
        name: 'backbones',
        short: 'm',
        type: 'string',
        default: 'resnet18',
        valueName: 'names',
        description:
          'Comma-separated backbones: alexnet, googlenet, vgg16, vgg19, resnet18, resnet34, resnet50. Two or more are fine-tuned jointly.',
      },
      {
        name: 'explore',
        type: 'boolean',
        default: false,
        description: 'Train every --backbones candidate briefly, then keep the --top best (Sun et al. 2017).',
      },
      {
        name: 'top',
        type: 'integer',
        default: 2,
        min: 1,
        max: 7,
        description: 'With --explore: how many of the best candidates to keep.',
      },
      {
        name: 'explore-epochs',
        type: 'integer',
        default: 1,
        min: 1,
        max: 100,
        description: 'With --explore: epochs per candidate.',
      },
      {
        name: 'width',
        type: 'number',
        default: 1,
        min: 0.01,
        max: 4,
        valueName: 'multiplier',
        description: 'Width multiplier of every backbone (e.g. 0.25 for a small model that trains on a CPU).',
      },
      {
        name: 'weights',
        type: 'string',
        valueName: 'files',
        description:
          "Pretrained weights: a Keras .h5 or TF.js model.json per backbone, 'name=path' comma-separated (or just the path with one backbone).",
      },
      {
        name: 'fusion',
        type: 'choice',
        choices: ['mean', 'concat', 'both'],
        default: 'mean',
        description:
          'Joint models: mean of the branch probabilities, a head on the concatenated features, or both.',
      },
      ...PREPROCESS_OPTIONS.map((o) => (o.name === 'size' ? { ...o, default: 224 } : o)),
      {
        name: 'augment',
        type: 'boolean',
        default: false,
        description: 'Random flips, rotation, brightness and contrast on training photos.',
      },
      {
        name: 'balance',
        type: 'choice',
        choices: ['none', 'oversample', 'undersample', 'classWeights'],
        default: 'none',
        description: 'Class balancing of the training photos.',
      },
      {
        name: 'epochs',
        short: 'e',
        type: 'integer',
        default: 10,
        min: 1,
        max: 10000,
        description: 'Epochs.',
      },
      {
        name: 'batch-size',
        type: 'integer',
        default: 16,
        min: 1,
        max: 4096,
        description: 'Photos per training batch.',
      },
      {
        name: 'lr',
        type: 'number',
        default: 1e-3,
        min: 1e-8,
        max: 1,
        valueName: 'rate',
        description: 'Adam learning rate (1e-4 suits pretrained weights).',
      },
      {
        name: 'patience',
        type: 'integer',
        min: 1,
        max: 10000,
        defaultText: 'none: run every epoch',
        description: 'Stop after this many epochs without a better held-out score.',
      },
      {
        name: 'seed',
        type: 'integer',
        default: 0,
        min: 0,
        max: 2 ** 31 - 1,
        description: 'Seed of the split, the shuffling and the augmentation.',
      },
      {
        name: 'overwrite',
        type: 'boolean',
        default: false,
        description: 'Replace an existing <model> folder.',
      },
      BACKEND_OPTION,
      QUIET_OPTION,
    ],
    examples: [
      'train labels.csv models/dr --label-column class --split-column split --size 224',
      'train quality.csv models/quality --task binary --label-column eyeq_quality --positive 1,2 --negative 0 ' +
        '--classes good,poor --backbones vgg16,resnet50,googlenet,alexnet --explore --top 2',
      'train labels.csv models/small --backbones resnet18 --width 0.25 --size 128 --epochs 5 --augment',
    ],
  },
  // Loaded on use, so `--help` and other commands do not pay for TF.js.
  run: async (args, context) => (await import('./train_run.js')).runTrain(args, context),
};
