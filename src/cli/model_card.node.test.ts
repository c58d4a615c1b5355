import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createModelCard,
  MODEL_CARD_FILE,
  MODEL_CARD_FORMAT,
  type ModelCard,
  type ModelCardArgs,
  ModelCardError,
  parseModelCard,
} from './model_card.js';
import { readModelCard, writeModelCard } from './node/model_card_file.js';

const ARGS: ModelCardArgs = {
  name: 'quality',
  task: 'binary',
  classes: ['good', 'poor'],
  backbones: ['vgg16', 'resnet50'],
  inputSize: [224, 224, 3],
  preprocessing: { size: 224, colour: 'vgg', crop: true, margin: 0.02, mask: false },
  threshold: 0.4,
  metrics: { accuracy: 0.9712, auc: 0.99 },
  training: { epochs: 12, batchSize: 16, dataset: 'eyepacs', backend: 'wasm', balanced: true },
};

function cardError(value: unknown): ModelCardError {
  try {
    parseModelCard(value, 'card.json');
  } catch (e) {
    expect(e).toBeInstanceOf(ModelCardError);
    return e as ModelCardError;
  }
  throw new Error('no error');
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'fundus-card-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('model card', () => {
  it('createModelCard stamps format, version, date and the package version', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const before = Date.now();
    const card = createModelCard(ARGS);
    expect(card.format).toBe(MODEL_CARD_FORMAT);
    expect(card.version).toBe(1);
    expect(card.fundusKitVersion).toBe(pkg.version);
    const at = Date.parse(card.createdAt);
    expect(at).toBeGreaterThanOrEqual(before - 1000);
    expect(at).toBeLessThanOrEqual(Date.now() + 1000);
    expect(card.preprocessing).toEqual(ARGS.preprocessing);
  });

  it('writes fundus-kit.json beside a model and reads it back from the folder, model.json or the file', async () => {
    const card = createModelCard({ ...ARGS, createdAt: '2026-01-02T03:04:05.000Z' });
    const file = await writeModelCard(join(tmp, 'model'), card);
    expect(file).toBe(join(tmp, 'model', MODEL_CARD_FILE));
    expect(await readModelCard(join(tmp, 'model'))).toEqual(card);
    expect(await readModelCard(join(tmp, 'model', 'model.json'))).toEqual(card);
    expect(await readModelCard(file)).toEqual(card);
  });

  it('names the field at fault', () => {
    const good = createModelCard(ARGS) as unknown as Record<string, unknown>;
    const without = (key: string) => Object.fromEntries(Object.entries(good).filter(([k]) => k !== key));
    expect(cardError(without('task')).message).toBe(
      'card.json: task must be one of binary, multiclass, multilabel, grade, but got nothing (the field is missing).',
    );
    expect(cardError(without('task')).field).toBe('task');
    const e = cardError({ ...good, preprocessing: { ...ARGS.preprocessing, colour: 'sepia' } });
    expect(e.field).toBe('preprocessing.colour');
    expect(e.message).toContain('must be one of original, greyscale, vgg, benGraham, clahe, but got "sepia"');
    expect(cardError({ ...good, preprocessing: { ...ARGS.preprocessing, size: 0 } }).field).toBe(
      'preprocessing.size',
    );
    expect(cardError({ ...good, classes: ['a', 'b', 'c'] }).message).toContain(
      "must be [negative, positive] for task 'binary'",
    );
    expect(cardError({ ...good, classes: ['a', 'a'] }).message).toContain('must not repeat a name');
    expect(cardError({ ...good, inputSize: [224, 224] }).field).toBe('inputSize');
    expect(cardError({ ...good, metrics: { auc: 'high' } }).field).toBe('metrics.auc');
    expect(cardError({ ...good, training: { epochs: [1] } }).field).toBe('training.epochs');
    expect(cardError({ ...good, createdAt: 'yesterday' }).field).toBe('createdAt');
    expect(cardError({ ...good, threshold: 1.5 }).field).toBe('threshold');
    expect(cardError({ ...good, task: 'multiclass', classes: ['a', 'b', 'c'] }).message).toContain(
      "threshold applies to binary and multilabel tasks, not 'multiclass'",
    );
    expect(cardError({ ...good, format: 'keras' }).message).toContain(
      "format must be 'fundus-kit/model-card'",
    );
    expect(cardError({ ...good, version: 2 }).message).toContain('upgrade fundus-kit');
    expect(cardError([]).message).toBe('card.json: must be a JSON object, but got [].');
  });

  it('keeps only known fields', () => {
    const card = parseModelCard({ ...createModelCard(ARGS), extra: 1 }) as ModelCard & { extra?: number };
    expect(card.extra).toBeUndefined();
  });

  it('a missing or malformed file is a ModelCardError naming the file', async () => {
    await expect(readModelCard(join(tmp, 'nowhere'))).rejects.toThrow(
      `${join(tmp, 'nowhere', MODEL_CARD_FILE)}: does not exist: a fundus-kit model folder holds model.json and fundus-kit.json.`,
    );
    const bad = join(tmp, 'bad.json');
    await writeFile(bad, '{"format": ');
    await expect(readModelCard(bad)).rejects.toThrow(/bad\.json: is not valid JSON/);
    await expect(
      writeModelCard(tmp, { ...createModelCard(ARGS), task: 'x' } as unknown as ModelCard),
    ).rejects.toThrow('writeModelCard: task must be one of');
  });
});
