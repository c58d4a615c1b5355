import type { Command } from './command.js';
import { BACKEND_OPTION, CSV_INPUT_OPTIONS, QUIET_OPTION } from './common_options.js';
import { PREPROCESS_OPTIONS } from './preprocess_options.js';

const NAME = 'preprocess';

/**
 * `fundus-kit preprocess <in> <out>`: crop, resize and recolour every photo of a folder (recursively) or a CSV,
 * one at a time, into PNG/JPEG files that mirror the input tree.
 */
export const preprocessCommand: Command = {
  spec: {
    name: NAME,
    summary: 'Crop, resize and recolour fundus photos (a folder or a CSV) into a new folder.',
    description:
      'Crops each photo to its field of view, resizes it to a square and applies a colour variant, writing ' +
      'PNG or JPEG files that mirror the input tree (a CSV input also gets a copy of the CSV pointing at the ' +
      'new files, and the output folder a preprocess.json of the settings). Photos are read and written one ' +
      'at a time, so memory stays flat. A photo that fails is listed at the end and the exit code is 1; the ' +
      'others are still written.\n\n' +
      "The 'vgg' variant is the network's input (BGR, ImageNet mean subtracted) shifted by +128 to fit an 8-bit file; " +
      "for training, prefer 'original' files and let the model apply the VGG preprocessing.",
    positionals: [
      {
        name: 'in',
        description:
          'A folder of photos (searched recursively for .jpg .jpeg .png .tif .tiff .webp .gif) or a CSV with an image column.',
      },
      { name: 'out', description: 'Output folder (created); the input tree is mirrored inside it.' },
    ],
    options: [
      ...PREPROCESS_OPTIONS,
      {
        name: 'format',
        short: 'f',
        type: 'choice',
        choices: ['png', 'jpg'],
        default: 'png',
        description: 'Output file format.',
      },
      { name: 'quality', type: 'integer', default: 90, min: 1, max: 100, description: 'JPEG quality.' },
      {
        name: 'workers',
        type: 'integer',
        min: 0,
        max: 64,
        defaultText: 'the number of cores, at most 4',
        valueName: 'n',
        description:
          'Worker threads that decode and prepare photos in parallel, each with its own TF.js (wasm, or cpu with --backend cpu); 0 works on the main thread with --backend.',
      },
      BACKEND_OPTION,
      ...CSV_INPUT_OPTIONS,
      QUIET_OPTION,
    ],
    examples: [
      'preprocess photos/ prepared/ --size 512 --colour benGraham',
      'preprocess data/labels.csv prepared/ -s 224 --colour clahe --format jpg',
      'preprocess photos/ prepared/ --workers 0 --backend cpu',
    ],
  },
  // Loaded on use, so `--help` and other commands do not pay for TF.js and sharp.
  run: async (args, context) => (await import('./preprocess_run.js')).runPreprocess(args, context),
};
