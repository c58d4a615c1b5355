import { isNode } from '../../src/backend/platform.js';
import resnetUrl from '../fixtures/weights/resnet_tiny.h5?url';
import resnetKeras3Url from '../fixtures/weights/resnet_tiny.weights.h5?url';
import resnetModelUrl from '../fixtures/weights/resnet_tiny_model.h5?url';
import vggUrl from '../fixtures/weights/vgg_tiny.h5?url';
import vggLegacyUrl from '../fixtures/weights/vgg_tiny_legacy.h5?url';
import vggMismatchUrl from '../fixtures/weights/vgg_tiny_mismatch.h5?url';

/** The .h5 files written by scripts/fixtures/make_weights_fixtures.py, by short name. */
const FILES = {
  vgg: ['vgg_tiny.h5', vggUrl],
  vggLegacy: ['vgg_tiny_legacy.h5', vggLegacyUrl],
  vggMismatch: ['vgg_tiny_mismatch.h5', vggMismatchUrl],
  resnet: ['resnet_tiny.h5', resnetUrl],
  resnetModel: ['resnet_tiny_model.h5', resnetModelUrl],
  resnetKeras3: ['resnet_tiny.weights.h5', resnetKeras3Url],
} as const;

export type WeightsFixture = keyof typeof FILES;

/** Where loadWeights can read a fixture: a file path in Node, the Vite asset URL (absolute) in the browser. */
export async function weightsFixturePath(name: WeightsFixture): Promise<string> {
  const [file, url] = FILES[name];
  if (!isNode()) return new URL(url, location.href).href;
  const urlModule = 'node:url'; // through a variable: the browser bundle never resolves Node modules
  const { fileURLToPath } = (await import(/* @vite-ignore */ urlModule)) as typeof import('node:url');
  return fileURLToPath(new URL(`../fixtures/weights/${file}`, import.meta.url));
}

/** A fixture's bytes (Node: fs; browser: fetch). */
export async function weightsFixtureBytes(name: WeightsFixture): Promise<Uint8Array> {
  const where = await weightsFixturePath(name);
  if (isNode()) {
    const fsModule = 'node:fs/promises';
    const fs = (await import(/* @vite-ignore */ fsModule)) as typeof import('node:fs/promises');
    return new Uint8Array(await fs.readFile(where));
  }
  const response = await fetch(where);
  if (!response.ok) throw new Error(`weightsFixtureBytes: ${where} gave HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}
