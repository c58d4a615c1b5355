import { CAM_METHODS } from '../explain/cam_map.js';
import { COLORMAPS } from '../explain/colormaps.js';
import type { Command } from './command.js';
import { BACKEND_OPTION, CSV_INPUT_OPTIONS, QUIET_OPTION } from './common_options.js';

const NAME = 'explain';

/** `fundus-kit explain <model> <input> <out>`: Grad-CAM overlays of a trained model's answers. */
export const explainCommand: Command = {
  spec: {
    name: NAME,
    summary: 'Grad-CAM heatmaps of a trained model, drawn over each photo, into a folder.',
    description:
      "Prepares each photo as the model's card says, predicts, and writes a PNG of the photo (cropped and " +
      'resized as the model saw it, in its original colours) with the Grad-CAM heatmap of the answer blended ' +
      'over it, mirroring the input tree, plus explain.csv (file, predicted, score, overlay). For a jointly ' +
      "fine-tuned model the fused answer is explained through every branch's last feature map; --output " +
      'explains one branch (1, 2, …). A photo that fails is listed at the end and the exit code is 1.',
    positionals: [
      { name: 'model', description: "A model folder written by 'fundus-kit train'." },
      { name: 'input', description: 'A folder of photos, a CSV with an image column, or one image file.' },
      { name: 'out', description: 'Output folder for the overlays (created).' },
    ],
    options: [
      {
        name: 'method',
        type: 'choice',
        choices: CAM_METHODS,
        default: 'gradcam',
        description: 'How feature maps are weighted.',
      },
      {
        name: 'layer',
        type: 'string',
        valueName: 'name',
        defaultText: 'the last feature map before the head (each branch of a joint model)',
        description: "The layer to explain, e.g. 'conv5_block3_out' or 'resnet18/conv5_block2_out'.",
      },
      {
        name: 'output',
        type: 'integer',
        default: 0,
        min: 0,
        max: 64,
        description: "The model output to explain: 0 the answer; 1, 2, … a joint model's branches.",
      },
      {
        name: 'class',
        type: 'string',
        valueName: 'name',
        defaultText: "the answer's class",
        description: 'The class whose evidence to show (multi-class, multi-label).',
      },
      {
        name: 'colormap',
        type: 'choice',
        choices: COLORMAPS,
        default: 'jet',
        description: 'Heatmap colours.',
      },
      {
        name: 'alpha',
        type: 'number',
        default: 0.4,
        min: 0,
        max: 1,
        description: 'Heatmap opacity.',
      },
      ...CSV_INPUT_OPTIONS,
      BACKEND_OPTION,
      QUIET_OPTION,
    ],
    examples: [
      'explain models/quality photos/ heatmaps/',
      'explain models/dr eye.jpg cams/ --method gradcam++ --class 2',
    ],
  },
  run: async (args, context) => (await import('./explain_run.js')).runExplain(args, context),
};
