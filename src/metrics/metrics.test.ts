import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import fixtures from '../../test/fixtures/metrics/sklearn_metrics.json';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { InvalidArgumentError } from '../errors.js';
import {
  accuracy,
  averagePrecision,
  averagePrecisionPerClass,
  balancedAccuracy,
  cohenKappa,
  confusionMatrix,
  f1Score,
  meanAveragePrecision,
  odirScore,
  precisionRecallCurve,
  precisionRecallF1,
  rfmidScore,
  rocAuc,
  rocAucPerClass,
  rocCurve,
  sensitivitySpecificity,
  thresholdForSensitivity,
  UndefinedMetricError,
} from './index.js';

/** Exact metrics (counts, ratios, sums of a few products) agree with scikit-learn to this. */
const TOL = 1e-9;

type Num = number | 'NaN';
const num = (v: Num): number => (v === 'NaN' ? Number.NaN : v);

function close(actual: number, expected: Num, label = ''): void {
  const e = num(expected);
  if (Number.isNaN(e)) expect(actual, label).toBeNaN();
  else expect(Math.abs(actual - e), `${label}: ${actual} vs ${e}`).toBeLessThanOrEqual(TOL);
}

function closeAll(actual: readonly number[], expected: readonly Num[], label = ''): void {
  expect(actual.length, `${label} length`).toBe(expected.length);
  actual.forEach((a, i) => {
    close(a, expected[i]!, `${label}[${i}]`);
  });
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('binary ranking metrics vs scikit-learn', () => {
  for (const c of fixtures.binary) {
    it(`${c.name}`, () => {
      if ('aucError' in c) {
        const e = thrown(() => rocAuc(c.yTrue, c.yScore));
        expect(e).toBeInstanceOf(UndefinedMetricError);
        expect((e as UndefinedMetricError).metric).toBe('rocAuc');
        expect(() => rocCurve(c.yTrue, c.yScore)).toThrow(UndefinedMetricError);
        const positives = c.yTrue.some((y) => y === 1);
        // AP and the PR curve need positives only; with positives they are defined.
        if (positives) {
          expect(averagePrecision(c.yTrue, c.yScore)).toBe(1);
        } else {
          expect(() => averagePrecision(c.yTrue, c.yScore)).toThrow(UndefinedMetricError);
          expect(() => precisionRecallCurve(c.yTrue, c.yScore)).toThrow(/no positive/);
          expect(() => thresholdForSensitivity(c.yTrue, c.yScore, { target: 0.5 })).toThrow(
            UndefinedMetricError,
          );
        }
        return;
      }
      const roc = rocCurve(c.yTrue, c.yScore);
      closeAll(roc.fpr, c.roc!.fpr, 'fpr');
      closeAll(roc.tpr, c.roc!.tpr, 'tpr');
      expect(roc.thresholds[0]).toBe(Number.POSITIVE_INFINITY);
      closeAll(roc.thresholds.slice(1), c.roc!.thresholds, 'thresholds');
      const all = rocCurve(c.yTrue, c.yScore, { dropIntermediate: false });
      closeAll(all.fpr, c.rocAll!.fpr, 'fpr (all)');
      closeAll(all.tpr, c.rocAll!.tpr, 'tpr (all)');
      closeAll(all.thresholds.slice(1), c.rocAll!.thresholds, 'thresholds (all)');
      close(rocAuc(c.yTrue, c.yScore), c.auc!, 'auc');
      const pr = precisionRecallCurve(c.yTrue, c.yScore);
      closeAll(pr.precision, c.pr!.precision, 'precision');
      closeAll(pr.recall, c.pr!.recall, 'recall');
      closeAll(pr.thresholds, c.pr!.thresholds, 'pr thresholds');
      close(averagePrecision(c.yTrue, c.yScore), c.averagePrecision!, 'AP');
      const at = sensitivitySpecificity(c.yTrue, c.yScore, { threshold: 0.5 });
      const ref = c.atThreshold05!;
      expect([at.tp, at.fp, at.tn, at.fn]).toEqual([ref.tp, ref.fp, ref.tn, ref.fn]);
      close(at.sensitivity, ref.sensitivity, 'sensitivity');
      close(at.specificity, ref.specificity, 'specificity');
      for (const [target, expected] of [
        [0.9, c.atSensitivity09!],
        [1, c.atSensitivity1!],
      ] as const) {
        const op = thresholdForSensitivity(c.yTrue, c.yScore, { target });
        close(op.threshold, expected.threshold, `threshold @${target}`);
        close(op.sensitivity, expected.sensitivity, `sensitivity @${target}`);
        close(op.specificity, expected.specificity, `specificity @${target}`);
        expect(op.sensitivity).toBeGreaterThanOrEqual(target);
      }
    });
  }

  it('a constant score is chance: AUC 0.5, AP = prevalence', () => {
    const c = fixtures.binary.find((b) => b.name === 'constant')!;
    const prevalence = c.yTrue.reduce((a, b) => a + b, 0) / c.yTrue.length;
    expect(rocAuc(c.yTrue, c.yScore)).toBe(0.5);
    close(averagePrecision(c.yTrue, c.yScore), prevalence);
    expect(rocCurve(c.yTrue, c.yScore).fpr).toEqual([0, 1]);
  });

  it('AUC equals the Mann-Whitney probability with ties counted ½ (hand count)', () => {
    // Positives 0.8, 0.5; negatives 0.5, 0.2: pairs (0.8>0.5) (0.8>0.2) (0.5=0.5 → ½) (0.5>0.2) → 3.5 / 4.
    expect(rocAuc([1, 1, 0, 0], [0.8, 0.5, 0.5, 0.2])).toBe(0.875);
  });
});

describe('label metrics vs scikit-learn', () => {
  for (const c of fixtures.classification) {
    it(`${c.name}`, () => {
      const labels = c.labels ?? undefined;
      close(accuracy(c.yTrue, c.yPred), c.accuracy, 'accuracy');
      close(balancedAccuracy(c.yTrue, c.yPred), c.balancedAccuracy, 'balanced accuracy');
      const cm = confusionMatrix(c.yTrue, c.yPred, { labels });
      expect(cm.matrix).toEqual(c.confusion);
      for (const [normalize, expected] of [
        ['true', c.confusionNormTrue],
        ['pred', c.confusionNormPred],
        ['all', c.confusionNormAll],
      ] as const) {
        const m = confusionMatrix(c.yTrue, c.yPred, { labels, normalize }).matrix;
        m.forEach((row, i) => {
          closeAll(row, expected[i]!, `normalize ${normalize} row ${i}`);
        });
      }
      const r = precisionRecallF1(c.yTrue, c.yPred, { labels });
      closeAll(r.precision, c.perClass.precision, 'precision');
      closeAll(r.recall, c.perClass.recall, 'recall');
      closeAll(r.f1, c.perClass.f1, 'f1');
      expect(r.support).toEqual(c.perClass.support);
      for (const avg of ['macro', 'micro', 'weighted'] as const) {
        close(r[avg].precision, c[avg].precision, `${avg} precision`);
        close(r[avg].recall, c[avg].recall, `${avg} recall`);
        close(r[avg].f1, c[avg].f1, `${avg} f1`);
        close(f1Score(c.yTrue, c.yPred, { average: avg, labels }), c[avg].f1, `f1Score ${avg}`);
      }
      close(cohenKappa(c.yTrue, c.yPred, { labels }), c.kappa_none as Num, 'kappa');
      close(
        cohenKappa(c.yTrue, c.yPred, { labels, weights: 'linear' }),
        c.kappa_linear as Num,
        'linear kappa',
      );
      close(cohenKappa(c.yTrue, c.yPred, { labels, weights: 'quadratic' }), c.kappa_quadratic as Num, 'QWK');
    });
  }

  it('binary F1 by default for 0/1 labels, of the positive label (hand count)', () => {
    // tp 1, fp 0, fn 1 → P 1, R 0.5, F1 2/3; for label 0: tp 2, fp 1, fn 0 → P 2/3, R 1, F1 0.8.
    close(f1Score([0, 1, 1, 0], [0, 1, 0, 0]), 2 / 3);
    close(f1Score([0, 1, 1, 0], [0, 1, 0, 0], { positiveLabel: 0 }), 0.8);
    expect(() => f1Score([0, 1], [0, 1], { positiveLabel: 2 })).toThrow(InvalidArgumentError);
  });

  it('zeroDivision sets precision of a never-predicted class', () => {
    expect(precisionRecallF1([0, 1, 1], [0, 0, 0], { zeroDivision: 1 }).precision).toEqual([1 / 3, 1]);
    expect(precisionRecallF1([0, 1, 1], [0, 0, 0]).precision).toEqual([1 / 3, 0]);
  });

  it('kappa of two raters giving one and the same class everywhere is NaN, as in scikit-learn', () => {
    expect(cohenKappa([2, 2, 2], [2, 2, 2], { weights: 'quadratic' })).toBeNaN();
  });

  it('subset accuracy for multi-label indicator rows', () => {
    expect(
      accuracy(
        [
          [1, 0],
          [1, 1],
        ],
        [
          [1, 0],
          [0, 1],
        ],
      ),
    ).toBe(0.5);
  });
});

describe('one-vs-rest and multi-label scores vs scikit-learn', () => {
  for (const c of fixtures.multiclassScores) {
    it(`multi-class ${c.name}`, () => {
      close(rocAuc(c.yTrue, c.yScore), c.aucMacro, 'macro AUC');
      close(rocAuc(c.yTrue, c.yScore, { average: 'weighted' }), c.aucWeighted, 'weighted AUC');
      closeAll(rocAucPerClass(c.yTrue, c.yScore), c.aucPerClass, 'AUC per class');
      closeAll(averagePrecisionPerClass(c.yTrue, c.yScore), c.apPerClass, 'AP per class');
      close(meanAveragePrecision(c.yTrue, c.yScore), c.mapMacro, 'mAP');
    });
  }

  for (const c of fixtures.multilabel) {
    it(`multi-label ${c.name}: AUC, AP, P/R/F1, RFMiD and ODIR scores`, () => {
      close(rocAuc(c.yTrue, c.yScore), c.aucMacro, 'macro AUC');
      close(rocAuc(c.yTrue, c.yScore, { average: 'micro' }), c.aucMicro, 'micro AUC');
      close(rocAuc(c.yTrue, c.yScore, { average: 'weighted' }), c.aucWeighted, 'weighted AUC');
      closeAll(rocAucPerClass(c.yTrue, c.yScore), c.aucPerLabel, 'AUC per label');
      close(averagePrecision(c.yTrue, c.yScore), c.apMacro, 'macro AP');
      close(averagePrecision(c.yTrue, c.yScore, { average: 'micro' }), c.apMicro, 'micro AP');
      close(averagePrecision(c.yTrue, c.yScore, { average: 'weighted' }), c.apWeighted, 'weighted AP');
      closeAll(averagePrecisionPerClass(c.yTrue, c.yScore), c.apPerLabel, 'AP per label');
      const predicted = c.yScore.map((row) => row.map((s) => (s >= 0.5 ? 1 : 0)));
      const r = precisionRecallF1(c.yTrue, predicted);
      closeAll(r.precision, c.perLabel.precision, 'precision');
      closeAll(r.recall, c.perLabel.recall, 'recall');
      closeAll(r.f1, c.perLabel.f1, 'f1');
      expect(r.support).toEqual(c.perLabel.support);
      for (const avg of ['macro', 'micro', 'weighted'] as const) {
        close(r[avg].f1, c[avg].f1, `${avg} f1`);
        close(r[avg].precision, c[avg].precision, `${avg} precision`);
      }
      const rfmid = rfmidScore(c.yTrue, c.yScore);
      close(rfmid.score, c.rfmid, 'RFMiD');
      const odir = odirScore(c.yTrue, c.yScore);
      close(odir.kappa, c.odir.kappa, 'ODIR kappa');
      close(odir.f1, c.odir.f1, 'ODIR F1');
      close(odir.auc, c.odir.auc, 'ODIR AUC');
      close(odir.score, c.odir.score, 'ODIR score');
    });
  }

  it('a label without positives: UndefinedMetricError naming it, or skipped on request', () => {
    const c = fixtures.multilabelAbsent;
    const e = thrown(() => rocAuc(c.yTrue, c.yScore));
    expect(e).toBeInstanceOf(UndefinedMetricError);
    expect((e as UndefinedMetricError).label).toBe(3);
    expect(() => meanAveragePrecision(c.yTrue, c.yScore)).toThrow(/label 3/);
    close(rocAuc(c.yTrue, c.yScore, { onUndefined: 'skip' }), c.aucMacroWithout3);
    close(meanAveragePrecision(c.yTrue, c.yScore, { onUndefined: 'skip' }), c.apMacroWithout3);
    expect(rocAucPerClass(c.yTrue, c.yScore, { onUndefined: 'skip' })[3]).toBeNaN();
    const none = c.yTrue.map((row) => row.map(() => 0));
    expect(() => meanAveragePrecision(none, c.yScore, { onUndefined: 'skip' })).toThrow(UndefinedMetricError);
    const rfmid = rfmidScore(c.yTrue, c.yScore, { onUndefined: 'skip' });
    close(rfmid.score, (c.aucMacroWithout3 + c.apMacroWithout3) / 2);
  });
});

describe('input validation', () => {
  it('empty input: InvalidArgumentError naming the argument', () => {
    const e = thrown(() => rocAuc([], []));
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect((e as InvalidArgumentError).argument).toBe('yScore');
    expect(() => accuracy([], [])).toThrow(/yTrue is empty/);
    expect(() => cohenKappa([], [])).toThrow(InvalidArgumentError);
  });

  it('mismatched lengths and widths', () => {
    const e = thrown(() => accuracy([0, 1, 1], [0, 1]));
    expect((e as InvalidArgumentError).argument).toBe('yPred');
    expect(() => rocAuc([0, 1, 1], [0.1, 0.2])).toThrow(/as many samples as yTrue \(3\), but got 2/);
    expect(() => rocAuc([[0, 1]], [[0.1, 0.2, 0.3]])).toThrow(/same width|as many columns/);
    expect(() => precisionRecallF1([[0, 1]], [[1, 1, 0]])).toThrow(/as many columns/);
    expect(() => rfmidScore([[0, 1]], [[0.1, 0.2, 0.3]])).toThrow(InvalidArgumentError);
  });

  it('bad values: non-0/1 binary targets, non-integer labels, NaN scores, out-of-range classes', () => {
    expect(() => rocAuc([0, 2], [0.1, 0.2])).toThrow(/0 or 1/);
    expect(() => confusionMatrix([0.5, 1], [0, 1])).toThrow(/integer class labels/);
    expect(() => rocAuc([0, 1], [0.1, Number.NaN])).toThrow(/finite/);
    expect(() =>
      rocAuc(
        [0, 3],
        [
          [0.1, 0.9],
          [0.2, 0.8],
        ],
      ),
    ).toThrow(/class indices 0-1/);
    expect(() => cohenKappa([0, 5], [0, 1], { labels: [0, 1, 2] })).toThrow(/not one of labels/);
    expect(() => confusionMatrix([0, 1], [0, 1], { labels: [0, 0] })).toThrow(/distinct/);
    expect(() => thresholdForSensitivity([0, 1], [0.1, 0.2], { target: 0 })).toThrow(/target/);
    expect(() => rocAuc([0, 1], [0.1, 0.2], { average: 'samples' as never })).toThrow(/average/);
    expect(() => cohenKappa([0, 1], [0, 1], { weights: 'cubic' as never })).toThrow(/weights/);
  });

  it('sensitivity and specificity are NaN when their class is absent', () => {
    const op = sensitivitySpecificity([0, 0], [0.2, 0.7]);
    expect(op.sensitivity).toBeNaN();
    expect(op.specificity).toBe(0.5);
  });
});

describeEachBackend('metrics on tensors', () => {
  it('reads rank-1 and rank-2 tensors ([n, 1] as a vector) like arrays', async () => {
    const c = fixtures.multilabel[0]!;
    const y = tf.tensor2d(c.yTrue);
    const s = tf.tensor2d(c.yScore);
    const yCol = tf.tensor2d(c.yTrue.map((r) => [r[0]!]));
    const sCol = tf.tensor1d(c.yScore.map((r) => r[0]!));
    await expectNoLeaks(() => {
      // float32 scores: compare with the float32-rounded array input.
      const f32 = (m: number[][]) => m.map((r) => Array.from(Float32Array.from(r)));
      expect(rfmidScore(y, s).score).toBe(rfmidScore(c.yTrue, f32(c.yScore)).score);
      close(rocAuc(yCol, sCol), c.aucPerLabel[0]!);
    });
    tf.dispose([y, s, yCol, sCol]);
    const cube = tf.zeros([1, 1, 1]);
    expect(() => rocAuc(cube as never, [0])).toThrow(/rank-1 or rank-2/);
    cube.dispose();
  });
});
