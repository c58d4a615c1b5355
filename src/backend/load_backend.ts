import { findBackendFactory } from '@tensorflow/tfjs-core';
import { BACKEND_PACKAGES, type BackendName } from './backend_names.js';

/** Imports a backend's module for its side effect (registering the backend); resolves to the module. */
export type BackendLoader = () => Promise<unknown>;

/** Result of trying to make a backend available. */
export type LoadResult = { ok: true; module: unknown } | { ok: false; reason: string };

/**
 * Makes `name` available in the TF.js engine: nothing to do when a backend factory is already
 * registered (the app imported it), else the caller's loader, else a dynamic import of its npm package.
 * The specifier is a variable so bundlers leave optional peers alone; in a bundle, import the backend
 * yourself or pass a loader (see setupBackend's `loaders`).
 */
export async function loadBackend(name: BackendName, loader?: BackendLoader): Promise<LoadResult> {
  if (loader !== undefined) return tryImport(loader, `the loader given for '${name}'`);
  if (findBackendFactory(name) !== null) return { ok: true, module: undefined };
  const reasons: string[] = [];
  for (const pkg of BACKEND_PACKAGES[name]) {
    const result = await tryImport(() => importPackage(pkg), pkg);
    if (result.ok) return result;
    reasons.push(result.reason);
  }
  return { ok: false, reason: reasons.join('; ') };
}

async function tryImport(load: BackendLoader, what: string): Promise<LoadResult> {
  try {
    return { ok: true, module: await load() };
  } catch (e) {
    return {
      ok: false,
      reason: `${what} could not be imported (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`,
    };
  }
}

function importPackage(specifier: string): Promise<unknown> {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);
}
