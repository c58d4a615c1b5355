import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../test/support/backends.js';
import { flatAndNested, gapDenseNet, twoBranchNet } from '../../test/support/explain_models.js';
import { resnetShaped } from '../../test/support/reference_nets.js';
import { InvalidArgumentError } from '../errors.js';
import { defaultLayer } from './default_layer.js';

// Structure only (no tensor computation): one backend suffices.
describeEachBackend('defaultLayer', () => {
  const models: tfl.LayersModel[] = [];
  const keep = <M extends tfl.LayersModel>(m: M) => {
    models.push(m);
    return m;
  };
  const disposeAll = () => {
    for (const m of models.splice(0)) m.dispose();
  };

  it('picks the last feature map before the head, inside nested models and per output', () => {
    expect(defaultLayer(keep(gapDenseNet()))).toBe('features');
    const { flat, nested } = flatAndNested();
    keep(flat);
    keep(nested);
    expect(defaultLayer(flat)).toBe('b_out');
    expect(defaultLayer(nested)).toBe('backbone/b_out');
    const two = keep(twoBranchNet());
    expect(defaultLayer(two)).toBe('a_features');
    expect(defaultLayer(two, 'lesions')).toBe('b_features');
    expect(defaultLayer(two, 1)).toBe('b_features');
    const resnet = keep(resnetShaped({ inputSize: 32, classes: 2, width: 1 / 16, blocks: [1, 1, 1, 1] }));
    expect(defaultLayer(resnet)).toBe('conv5_block1_out');
    disposeAll();
  });

  it('returns undefined without a feature map and rejects unknown outputs', () => {
    const input = tfl.input({ shape: [4] });
    const dense = keep(
      tfl.model({
        inputs: input,
        outputs: tfl.layers.dense({ units: 2 }).apply(input) as tfl.SymbolicTensor,
      }),
    );
    expect(defaultLayer(dense)).toBeUndefined();
    expect(() => defaultLayer(dense, 'nope')).toThrow(InvalidArgumentError);
    expect(() => defaultLayer(dense, 3)).toThrow(/output must be an index below 1/);
    disposeAll();
  });
}, ['cpu']);
