import { BACKEND_NAMES } from '../backend/backend_names.js';
import type { OptionSpec } from './args_parser.js';

/** `--backend`: every command that computes picks its TF.js backend the same way. */
export const BACKEND_OPTION: OptionSpec = {
  name: 'backend',
  short: 'b',
  type: 'choice',
  choices: ['auto', ...BACKEND_NAMES],
  default: 'auto',
  defaultText: 'auto, which tries tensorflow, then wasm, then cpu',
  description: 'TF.js backend to run on.',
};

/** `--quiet`: no progress on stderr. */
export const QUIET_OPTION: OptionSpec = {
  name: 'quiet',
  short: 'q',
  type: 'boolean',
  default: false,
  description: 'No progress bar.',
};

/** `--image-column` and `--root` of commands whose input may be a CSV of image paths. */
export const CSV_INPUT_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'image-column',
    type: 'string',
    default: 'image',
    valueName: 'name',
    description: 'CSV input: the column holding image paths.',
  },
  {
    name: 'root',
    type: 'string',
    valueName: 'folder',
    defaultText: "the CSV's folder",
    description: 'CSV input: the folder image paths are relative to.',
  },
];
