import { softmaxRows } from '../math/linear-algebra';
import { evaluate, expectedCalibrationError } from './metrics';
import { fitTemperature } from './temperature';

describe('evaluate', () => {
  // 4 rows, 2 classes: predictions [0, 0, 1, 0] vs truth [0, 1, 1, 0].
  const P = Float64Array.from([0.9, 0.1, 0.6, 0.4, 0.2, 0.8, 0.7, 0.3]);
  const truth = Int32Array.from([0, 1, 1, 0]);

  it('computes accuracy, per-class P/R/F1, macro-F1 and the confusion matrix', () => {
    const r = evaluate(P, 4, ['neg', 'pos'], truth);
    expect(r.accuracy).toBe(0.75);
    expect(r.confusion).toEqual([[2, 0], [1, 1]]);
    expect(r.perClass['neg']).toMatchObject({ precision: 2 / 3, recall: 1, support: 2 });
    expect(r.perClass['pos']).toMatchObject({ precision: 1, recall: 0.5, support: 2 });
    expect(r.macroF1).toBeCloseTo((0.8 + 2 / 3) / 2, 10);
  });

  it('computes ECE over confidence bins', () => {
    // Two bins used: conf 0.9 (correct) and 0.6 (wrong) etc.; hand-computed with 10 bins.
    const ece = expectedCalibrationError(P, 4, 2, truth, 10);
    // bins: 0.9→[0.9,1.0): acc 1, conf .9 ; 0.6→[0.6,.7): acc 0, conf .6 ; 0.8→[.8,.9): acc 1 conf .8 ; 0.7→[.7,.8): acc 1 conf .7
    expect(ece).toBeCloseTo((0.1 + 0.6 + 0.2 + 0.3) / 4, 10);
  });
});

/** Mean negative log-likelihood of softmax(z / T): what temperature scaling minimises. */
function nll(z: Float64Array, n: number, c: number, t: Int32Array, T: number): number {
  const P = softmaxRows(z, n, c, T);
  let s = 0;
  for (let i = 0; i < n; i++) s -= Math.log(P[i * c + (t[i] as number)] as number);
  return s / n;
}

describe('fitTemperature', () => {
  it('recovers the temperature that generated over-confident logits', () => {
    // Labels are sampled from softmax(z/2); the best temperature for z is then ~2.
    const n = 4000, c = 3;
    const z = new Float64Array(n * c);
    const t = new Int32Array(n);
    let seed = 1;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < c; j++) z[i * c + j] = (rnd() - 0.5) * 12;
      const p = softmaxRows(z.subarray(i * c, (i + 1) * c), 1, c, 2);
      const u = rnd();
      t[i] = u < (p[0] as number) ? 0 : u < (p[0] as number) + (p[1] as number) ? 1 : 2;
    }
    expect(fitTemperature(z, n, c, t)).toBeGreaterThan(1.7);
    expect(fitTemperature(z, n, c, t)).toBeLessThan(2.3);
  });

  it('keeps T = 1 when validation is perfectly separated instead of collapsing to 1/0', () => {
    // Every row's largest logit is its target: NLL decreases monotonically as T → 0.
    const z = Float64Array.from([3, 0, 0, 0, 2.5, 0, 0, 0, 4, 2, 1, 0]);
    const t = Int32Array.from([0, 1, 2, 0]);
    expect(fitTemperature(z, 4, 3, t)).toBe(1);
    // One mistake makes the optimum interior again.
    const t2 = Int32Array.from([0, 1, 2, 1]);
    const fitted = fitTemperature(z, 4, 3, t2);
    expect(fitted).not.toBe(1);
    // Interior optimum: NLL there is below T = 1 and below its neighbours on either side.
    expect(nll(z, 4, 3, t2, fitted)).toBeLessThan(nll(z, 4, 3, t2, 1));
    expect(nll(z, 4, 3, t2, fitted)).toBeLessThan(nll(z, 4, 3, t2, fitted * 1.1));
    expect(nll(z, 4, 3, t2, fitted)).toBeLessThan(nll(z, 4, 3, t2, fitted / 1.1));
  });
});
