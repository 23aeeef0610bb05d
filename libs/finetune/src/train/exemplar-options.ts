/**
 * The exemplar (k-nearest-neighbour) vote blended into a classifier's probabilities:
 * p = weight·head + (1 − weight)·knn, where knn sums softmax(top-k cosine / temperature)
 * per exemplar label over the training texts' embeddings (export/fuse-exemplars.ts).
 */
export interface ExemplarOptions {
  /** Nearest training exemplars that vote. */
  readonly k: number;
  /** Softmax temperature over the k cosine similarities (small: the closest exemplars dominate). */
  readonly temperature: number;
  /** Share of the head in the blend; 1 − weight goes to the vote. */
  readonly weight: number;
}

/**
 * Chosen on a selection split of the Banking77 training part only (docs/adr/0022): at these
 * values precision at 0.90 coverage rose from 0.965 to 0.979 there. Library default is off.
 */
export const DEFAULT_EXEMPLAR_OPTIONS: ExemplarOptions = { k: 10, temperature: 0.02, weight: 0.5 };

/** TopK over N exemplars costs O(N) a text either way; past this the vote is no longer "nearest". */
export const MAX_EXEMPLAR_K = 1000;

/**
 * Most exemplars a graph may carry. Each costs (dim + classes) float32s in model.onnx and one
 * cosine per text: at 100,000 and bge-small's 384 dimensions that is ~150-190 MB more model
 * (protobuf caps a graph at 2 GB) and ~4 ms a text (0.27 ms measured at 6,798, linear in N).
 */
export const MAX_EXEMPLARS = 100_000;

/**
 * The exemplar option cannot be used with this run (its task, method or training rows); found
 * before any embedding. A RangeError, named so the CLI maps it to a usage error.
 */
export class ExemplarPlanError extends RangeError {
  readonly code = 'INVALID_ARGUMENT';
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = 'ExemplarPlanError';
  }
}

export function validateExemplarOptions(o: ExemplarOptions): ExemplarOptions {
  const check = (ok: boolean, field: keyof ExemplarOptions, rule: string) => {
    if (!ok) throw new RangeError(`exemplars.${field} ${rule}, got ${String(o[field])}`);
  };
  check(Number.isInteger(o.k) && o.k >= 1 && o.k <= MAX_EXEMPLAR_K, 'k', `must be an integer in [1, ${MAX_EXEMPLAR_K}]`);
  check(Number.isFinite(o.temperature) && o.temperature > 0 && o.temperature <= 10, 'temperature', 'must be in (0, 10]');
  check(Number.isFinite(o.weight) && o.weight >= 0 && o.weight < 1, 'weight', 'must be in [0, 1) (1 would switch the vote off)');
  return o;
}

const SPEC_KEYS: ReadonlyMap<string, keyof ExemplarOptions> = new Map([['k', 'k'], ['t', 'temperature'], ['temperature', 'temperature'], ['w', 'weight'], ['weight', 'weight']]);

/**
 * Parses the CLI form `k=10,t=0.02,w=0.5` (any subset, long names allowed; the rest keep
 * DEFAULT_EXEMPLAR_OPTIONS). An empty spec means all defaults.
 */
export function parseExemplarSpec(spec: string): ExemplarOptions {
  const out: Record<keyof ExemplarOptions, number> = { ...DEFAULT_EXEMPLAR_OPTIONS };
  for (const part of spec.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const [key, value, extra] = part.split('=').map((s) => s.trim());
    const field = key === undefined ? undefined : SPEC_KEYS.get(key);
    if (!field || value === undefined || value === '' || extra !== undefined) {
      throw new RangeError(`exemplars: "${part}" is not key=value with key k, t (temperature) or w (weight)`);
    }
    const n = Number(value);
    if (!Number.isFinite(n)) throw new RangeError(`exemplars.${field} must be a number, got "${value}"`);
    out[field] = n;
  }
  return validateExemplarOptions(out);
}
