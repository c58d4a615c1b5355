import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { syntheticDisc } from '../../../test/fixtures/fov/synthetic_discs.js';
import { describeEachBackend, expectNoLeaks } from '../../../test/support/backends.js';
import { InvalidArgumentError, ShapeError } from '../../errors.js';
import { cropToFov } from './crop_to_fov.js';
import { uncropFromFov } from './uncrop_from_fov.js';

// A circle the frame cuts at the top and bottom (rows −8…128 of a 120-row frame), as EyePACS cameras do.
const CUT = { height: 120, width: 160, cx: 80.4, cy: 60.2, r: 68.3 };

describeEachBackend('cropToFov', () => {
  it('crops a square centred on the circle, padding where the frame cuts it with black', async () => {
    const image = syntheticDisc(CUT);
    const crop = await expectNoLeaks(async () => (await cropToFov(image)).image);
    const given = await cropToFov(image, { circle: { cx: 80.4, cy: 60.2, r: 68.3 } });
    const { box, circle, originalSize } = given;
    expect(originalSize).toEqual([120, 160]);
    expect(circle).toEqual({ cx: 80.4, cy: 60.2, r: 68.3 });
    // size round(2r) = 137, centred: first pixel round(c − 68) → top −8, left 12.
    expect(box).toEqual({ top: -8, left: 12, height: 137, width: 137 });
    expect(crop.shape).toEqual([137, 137, 3]);
    // The 8 rows above the frame are zeros; the frame's first row follows.
    const above = tf.tidy(() => tf.max(tf.slice(crop, [0, 0, 0], [8, -1, -1])));
    expect((await above.data())[0]).toBe(0);
    const first = tf.tidy(() =>
      tf.sub(tf.slice(crop, [8, 0, 0], [1, -1, -1]), tf.slice(image, [0, 12, 0], [1, 137, -1])),
    );
    expect(Array.from(await first.data()).every((v) => v === 0)).toBe(true);
    tf.dispose([image, crop, given.image, above, first]);
  });

  it('clips the box to the frame without `square`, and grows it by margin·r', async () => {
    const image = syntheticDisc(CUT);
    const circle = { cx: 80.4, cy: 60.2, r: 68.3 };
    const clipped = await cropToFov(image, { circle, square: false });
    expect(clipped.box).toEqual({ top: 0, left: 12, height: 120, width: 137 });
    expect(clipped.image.shape).toEqual([120, 137, 3]);
    const wide = await cropToFov(image, { circle, margin: 0.1 });
    expect(wide.box.height).toBe(Math.round(2 * 68.3 * 1.1));
    const inside = await cropToFov(image, { circle, margin: -0.5, square: false });
    expect(inside.box).toEqual({ top: 27, left: 47, height: 68, width: 68 });
    tf.dispose([image, clipped.image, wide.image, inside.image]);
  });

  it('crops each image of a batch to its own circle', async () => {
    const a = syntheticDisc({ height: 96, width: 128, cx: 60, cy: 50, r: 40 });
    const b = syntheticDisc({ height: 96, width: 128, cx: 70, cy: 44, r: 30, surround: [90, 90, 90] });
    const batch = tf.stack([a, b]) as tf.Tensor4D;
    const crops = await cropToFov(batch, { margin: 0.05 });
    expect(crops).toHaveLength(2);
    expect(Math.abs(crops[0]!.circle.r - 40)).toBeLessThan(1);
    expect(Math.abs(crops[1]!.circle.cx - 70)).toBeLessThan(1);
    for (const { image, circle, box } of crops) {
      const size = Math.round(2 * circle.r * 1.05);
      expect(image.shape).toEqual([size, size, 3]);
      expect(Math.abs(box.top + (size - 1) / 2 - circle.cy)).toBeLessThanOrEqual(0.5);
    }
    tf.dispose([a, b, batch, ...crops.map((c) => c.image)]);
  });

  it('throws when there is no field of view, and for bad arguments', async () => {
    const black = tf.zeros([32, 32, 3]) as tf.Tensor3D;
    await expect(cropToFov(black)).rejects.toThrow(InvalidArgumentError);
    await expect(cropToFov(black)).rejects.toThrow('cropToFov: no field of view found');
    await expect(cropToFov(black, { margin: -1 })).rejects.toThrow(
      'cropToFov: margin must be a number above -1, but got -1.',
    );
    await expect(cropToFov(black, { square: 'yes' as never })).rejects.toThrow(
      'cropToFov: square must be true or false, but got yes.',
    );
    const flat = tf.zeros([32, 32]);
    await expect(cropToFov(flat as never)).rejects.toThrow(ShapeError);
    // A given circle needs no detection: the crop of a black image is black.
    const given = await cropToFov(black, { circle: { cx: 16, cy: 16, r: 10 } });
    expect(given.image.shape).toEqual([20, 20, 3]);
    tf.dispose([black, flat, given.image]);
  });
});

describeEachBackend('uncropFromFov', () => {
  it('puts a crop back where it came from, and drops what lies outside the frame', async () => {
    const image = syntheticDisc(CUT);
    const {
      image: crop,
      box,
      originalSize,
    } = await cropToFov(image, { circle: { cx: 80.4, cy: 60.2, r: 68.3 } });
    const back = await expectNoLeaks(() => uncropFromFov(crop, box, originalSize));
    expect(back.shape).toEqual([120, 160, 3]);
    // Inside the box: the image; columns outside it (0…11 and 149…159): zeros.
    const inBox = tf.tidy(() =>
      tf.max(
        tf.abs(tf.sub(tf.slice(back, [0, 12, 0], [-1, 137, -1]), tf.slice(image, [0, 12, 0], [-1, 137, -1]))),
      ),
    );
    expect((await inBox.data())[0]).toBe(0);
    const outside = tf.tidy(() =>
      tf.add(
        tf.sum(tf.slice(back, [0, 0, 0], [-1, 12, -1])),
        tf.sum(tf.slice(back, [0, 149, 0], [-1, -1, -1])),
      ),
    );
    expect((await outside.data())[0]).toBe(0);
    tf.dispose([image, crop, back, inBox, outside]);
  });

  it('resizes a smaller result (a heatmap of the resized crop) to the box, and keeps labels with nearest', async () => {
    const box = { top: -8, left: 12, height: 137, width: 137 };
    const heat = tf.fill([1, 32, 32, 2], 0.5) as tf.Tensor4D;
    const back = uncropFromFov(heat, box, [120, 160], { fill: -1 });
    expect(back.shape).toEqual([1, 120, 160, 2]);
    const values = await back.data();
    expect(values[0]).toBe(-1); // column 0: outside the box
    expect(values[(60 * 160 + 80) * 2]).toBeCloseTo(0.5, 6);
    const labels = tf.tidy(() =>
      tf.cast(tf.greater(tf.randomUniform([16, 16, 1], 0, 1, 'float32', 3), 0.5), 'float32'),
    );
    const mapped = uncropFromFov(labels as tf.Tensor3D, box, [120, 160], { method: 'nearest' });
    const distinct = new Set(Array.from(await mapped.data()));
    expect([...distinct].sort()).toEqual([0, 1]);
    tf.dispose([heat, back, labels, mapped]);
  });

  it('names the function and the value for bad arguments', () => {
    const t = tf.zeros([10, 10, 1]) as tf.Tensor3D;
    const box = { top: 0, left: 0, height: 10, width: 10 };
    expect(() => uncropFromFov(t, { ...box, height: 0 }, [20, 20])).toThrow(
      'uncropFromFov: box must be {top, left, height, width} with integers and height, width ≥ 1, but got {"top":0,"left":0,"height":0,"width":10}.',
    );
    expect(() => uncropFromFov(t, box, [20, 0])).toThrow(
      'uncropFromFov: originalSize must be [height, width] with positive integers, but got [20,0].',
    );
    expect(() => uncropFromFov(t, box, [20, 20], { method: 'cubic' as never })).toThrow(
      `uncropFromFov: method must be 'bilinear' or 'nearest', but got "cubic".`,
    );
    const flat = tf.zeros([10, 10]);
    expect(() => uncropFromFov(flat as never, box, [20, 20])).toThrow(
      'uncropFromFov: image must be rank 3 or 4, but got rank 2 (shape [10,10]).',
    );
    tf.dispose([t, flat]);
  });
});
