import { FundusError } from '../../errors.js';

type Sharp = typeof import('sharp')['default'];

let sharp: Sharp | undefined;

/** sharp is an optional dependency (installed by default): load it on first use, with the fix if absent. */
export async function loadSharp(fn: string): Promise<Sharp> {
  if (sharp !== undefined) return sharp;
  try {
    const module = (await import('sharp')) as unknown as { default?: Sharp } & Sharp;
    sharp = module.default ?? module;
    return sharp;
  } catch (e) {
    throw new FundusError(
      `${fn}: decoding images in Node needs the 'sharp' package, which could not be loaded. ` +
        'Install it with `npm i sharp` (it is an optional dependency of fundus-kit).',
      { cause: e },
    );
  }
}
