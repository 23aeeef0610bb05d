import { softmaxRows } from '../math/linear-algebra';

/**
 * Temperature scaling (Guo et al. 2017): one scalar T that minimises validation NLL of
 * softmax(logits / T). Golden-section search on log T; NLL is unimodal in T.
 * When validation is perfectly separated, NLL keeps falling as T → 0 and the fit would run
 * into the lower bound, turning every prediction into 1/0; there is no evidence for any
 * sharpening then, so T stays 1.
 */
export const MIN_TEMPERATURE = 0.05;
export const MAX_TEMPERATURE = 20;

export function fitTemperature(logits: Float64Array, n: number, c: number, targets: Int32Array): number {
  if (n === 0) return 1;
  const nll = (logT: number) => {
    const P = softmaxRows(logits, n, c, Math.exp(logT));
    let s = 0;
    for (let i = 0; i < n; i++) s -= Math.log(Math.max(P[i * c + (targets[i] as number)] as number, 1e-12));
    return s / n;
  };
  let lo = Math.log(MIN_TEMPERATURE), hi = Math.log(MAX_TEMPERATURE);
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo);
  let f1 = nll(x1), f2 = nll(x2);
  for (let it = 0; it < 60; it++) {
    if (f1 < f2) { hi = x2; x2 = x1; f2 = f1; x1 = hi - g * (hi - lo); f1 = nll(x1); }
    else { lo = x1; x1 = x2; f1 = f2; x2 = lo + g * (hi - lo); f2 = nll(x2); }
  }
  const t = Math.exp((lo + hi) / 2);
  return t < MIN_TEMPERATURE * 1.05 ? 1 : t;
}
