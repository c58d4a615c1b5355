export { augment } from './augment.js';
export type { AugmentArgs, AugmentRange } from './augment_args.js';
