/**
 * Reading ONNX Runtime's own profile (session option `enableProfiling`): a Chrome-trace JSON
 * array with one `Session/model_run` event per `session.run` and one `Node/<node>_kernel_time`
 * event per operator executed (`args.op_name` is its op type). Pure, so op-profile-trace.spec.ts
 * can check it on a hand-made trace.
 */

export interface TraceEvent {
  readonly cat?: string;
  readonly name?: string;
  readonly ts?: number;
  readonly dur?: number;
  readonly args?: { readonly op_name?: string };
}

export interface OpProfile {
  /** Runs counted (after the skipped warm-up runs). */
  readonly runs: number;
  /** Sum of the counted `model_run` durations, µs: the time spent inside session.run. */
  readonly sessionUs: number;
  /** Sum of every counted kernel's time, µs; sessionUs − kernelUs is ORT's own overhead. */
  readonly kernelUs: number;
  /** Kernel time per op type, µs. */
  readonly byOp: Readonly<Record<string, number>>;
  /** Kernel time of the weight projections (isProjection), µs. */
  readonly projectionUs: number;
}

/**
 * Op types that carry the encoder's weight matrices (fp32 MatMul, and the int8 path: the
 * activations' DynamicQuantizeLinear and the integer matmuls with their dequantisation, fused
 * or not). The attention's own products (QKᵀ, AV) are MatMul/FusedMatMul too, but named
 * `…/attention/self/MatMul…` by the Hugging Face exporter, so they are told apart by name.
 */
const PROJECTION_OPS = new Set(['MatMul', 'Gemm', 'FusedGemm', 'MatMulInteger', 'MatMulIntegerToFloat', 'DynamicQuantizeMatMul', 'DynamicQuantizeLinear']);

export function isProjection(node: string, op: string): boolean {
  return PROJECTION_OPS.has(op) && !node.includes('/attention/self/MatMul');
}

const KERNEL_SUFFIX = '_kernel_time';

/**
 * Aggregates a profile, leaving out the first `skipRuns` runs (warm-up: first-run allocations
 * and pre-packing) and every kernel event that started before the first counted run.
 */
export function aggregateTrace(events: readonly TraceEvent[], skipRuns: number): OpProfile {
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0));
  if (runs.length <= skipRuns) throw new Error(`profile holds ${runs.length} model_run events, need more than the ${skipRuns} warm-up runs`);
  const counted = runs.slice(skipRuns);
  const from = (counted[0] as TraceEvent).ts ?? 0;
  const byOp: Record<string, number> = {};
  let kernelUs = 0, projectionUs = 0;
  for (const e of events) {
    const name = e.name ?? '';
    if (e.cat !== 'Node' || !name.endsWith(KERNEL_SUFFIX) || (e.ts ?? 0) < from) continue;
    const op = e.args?.op_name ?? 'unknown';
    const dur = e.dur ?? 0;
    byOp[op] = (byOp[op] ?? 0) + dur;
    kernelUs += dur;
    if (isProjection(name.slice(0, -KERNEL_SUFFIX.length), op)) projectionUs += dur;
  }
  return { runs: counted.length, sessionUs: counted.reduce((s, e) => s + (e.dur ?? 0), 0), kernelUs, byOp, projectionUs };
}

/** Each op type's share of session time, largest first, plus `framework` (session time outside any kernel). */
export function opShares(p: OpProfile): Array<[string, number]> {
  const shares = Object.entries(p.byOp).map(([op, us]): [string, number] => [op, us / p.sessionUs]);
  shares.push(['framework', Math.max(0, p.sessionUs - p.kernelUs) / p.sessionUs]);
  return shares.sort((a, b) => b[1] - a[1]);
}
