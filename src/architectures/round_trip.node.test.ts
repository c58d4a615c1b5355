import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { expectBitExactRoundTrip } from '../../test/support/architectures_round_trip.js';
import { TINY_SIZES, tinyArgs } from '../../test/support/architectures_tiny.js';
import { useBackend } from '../../test/support/backends.js';
import { fileSystemHandler } from '../io/node/index.js';
import { type BackboneName, createBackbone, googlenet, listBackbones } from './index.js';

describe('every backbone survives a save/load round trip through file:// bit-exactly (cpu)', () => {
  let dir = '';
  beforeAll(async () => {
    await useBackend('cpu');
    dir = await mkdtemp(join(tmpdir(), 'fundus-architectures-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  for (const name of listBackbones() as BackboneName[]) {
    it(name, async () => {
      const model = await createBackbone(name, tinyArgs(name, { classes: 3 }));
      const url = `file://${join(dir, name)}`;
      await expectBitExactRoundTrip(
        model,
        TINY_SIZES[name],
        fileSystemHandler(url),
        fileSystemHandler(`${url}/model.json`),
      );
      model.dispose();
    });
  }

  it('googlenet with auxLogits (three outputs)', async () => {
    const model = await googlenet({
      inputShape: [79, 79, 3],
      widthMultiplier: 1 / 32,
      auxLogits: true,
    });
    const location = join(dir, 'googlenet_aux');
    await expectBitExactRoundTrip(model, 79, fileSystemHandler(location), fileSystemHandler(location));
    model.dispose();
  });
});
