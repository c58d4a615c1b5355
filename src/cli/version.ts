import { version } from '../../package.json';

/**
 * fundus-kit's version (from package.json, inlined at build time); model cards and reports record it.
 *
 * @example
 * ```ts
 * console.log(`fundus-kit ${FUNDUS_KIT_VERSION}`);
 * ```
 */
export const FUNDUS_KIT_VERSION: string = version;
