import type { OptionSpec, ParsedArgs } from './args_parser.js';
import { COLOURS, type PreprocessSettings } from './preprocess_settings.js';

/** The options that make a `PreprocessSettings` (`preprocess`, `train`): size, colour, crop, margin, mask. */
export const PREPROCESS_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'size',
    short: 's',
    type: 'integer',
    default: 512,
    min: 8,
    max: 8192,
    valueName: 'px',
    description: 'Side of the square output, in pixels.',
  },
  {
    name: 'colour',
    short: 'c',
    type: 'choice',
    choices: COLOURS,
    default: 'original',
    description: 'Colour variant.',
  },
  {
    name: 'crop',
    type: 'boolean',
    default: true,
    description: 'Crop to the field of view (the circle) before resizing.',
  },
  {
    name: 'margin',
    type: 'number',
    default: 0,
    min: -0.99,
    max: 1,
    valueName: 'fraction',
    description: 'Border around the field of view when cropping, as a fraction of its radius.',
  },
  {
    name: 'mask',
    type: 'boolean',
    defaultText: 'on for benGraham, off otherwise',
    description: 'Set pixels outside the field of view to 128 (benGraham) or 0 (black).',
  },
];

/** The {@link PreprocessSettings} given by {@link PREPROCESS_OPTIONS} on a command line. */
export function settingsFromArgs(args: ParsedArgs): PreprocessSettings {
  const colour = args.string('colour') as PreprocessSettings['colour'];
  return {
    size: args.number('size')!,
    colour,
    crop: args.boolean('crop')!,
    margin: args.number('margin')!,
    mask: args.boolean('mask') ?? colour === 'benGraham',
  };
}
