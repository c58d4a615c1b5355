import { syntheticDataset } from './dataset.js';
import { syntheticFundus } from './fundus.js';

/**
 * The synthetic fundus generator as one namespace, `synthetic.fundus(…)` and `synthetic.dataset(…)`:
 * the same functions as {@link syntheticFundus} and {@link syntheticDataset}.
 *
 * @example
 * ```ts
 * const f = synthetic.fundus({ seed: 1, grade: 3 });
 * const ds = synthetic.dataset({ n: 64, task: 'grade', size: 128 });
 * ```
 */
export const synthetic = Object.freeze({ fundus: syntheticFundus, dataset: syntheticDataset });
