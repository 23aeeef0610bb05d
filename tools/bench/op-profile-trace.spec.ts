import { aggregateTrace, isProjection, opShares, type TraceEvent } from './op-profile-trace';

const run = (ts: number, dur: number): TraceEvent => ({ cat: 'Session', name: 'model_run', ts, dur });
const kernel = (node: string, op: string, ts: number, dur: number): TraceEvent => ({ cat: 'Node', name: `${node}_kernel_time`, ts, dur, args: { op_name: op } });

// Two runs; the first is warm-up. Each run: a projection, the attention's own MatMul, a Softmax.
const trace: TraceEvent[] = [
  { cat: 'Session', name: 'session_initialization', ts: 0, dur: 500 },
  kernel('/encoder/layer.0/attention/self/query/MatMul', 'MatMul', 1000, 400),
  kernel('/encoder/layer.0/attention/self/MatMul_1', 'MatMul', 1400, 100),
  kernel('/encoder/layer.0/attention/self/Softmax', 'Softmax', 1500, 50),
  { cat: 'Node', name: '/encoder/layer.0/attention/self/query/MatMul_fence_before', ts: 1000, dur: 7, args: { op_name: 'MatMul' } },
  run(1000, 700),
  kernel('/encoder/layer.0/attention/self/query/MatMul', 'MatMul', 2000, 300),
  kernel('/encoder/layer.0/attention/self/MatMul_1', 'MatMul', 2300, 60),
  kernel('/encoder/layer.0/attention/self/Softmax', 'Softmax', 2360, 40),
  run(2000, 500),
];

describe('ORT profile aggregation', () => {
  it('counts only the runs after the warm-up, by op type, and tells projections from attention products by node name', () => {
    const p = aggregateTrace(trace, 1);
    expect(p).toEqual({ runs: 1, sessionUs: 500, kernelUs: 400, byOp: { MatMul: 360, Softmax: 40 }, projectionUs: 300 });
    expect(aggregateTrace(trace, 0).sessionUs).toBe(1200);
  });

  it('gives each op its share of session time, the rest as framework, largest first', () => {
    expect(opShares(aggregateTrace(trace, 1))).toEqual([['MatMul', 0.72], ['framework', 0.2], ['Softmax', 0.08]]);
  });

  it('refuses a profile with no run beyond the warm-up', () => {
    expect(() => aggregateTrace(trace, 2)).toThrow(/2 model_run events, need more than the 2 warm-up runs/);
  });

  it('counts the int8 path (quantisation, integer products) as projection work, attention products not', () => {
    expect(isProjection('/encoder/layer.0/output/LayerNorm/Add_1_output_0_QuantizeLinear', 'DynamicQuantizeLinear')).toBe(true);
    expect(isProjection('/encoder/layer.0/intermediate/dense/MatMul_quant', 'DynamicQuantizeMatMul')).toBe(true);
    expect(isProjection('/encoder/layer.0/attention/self/key/MatMul_quant', 'MatMulIntegerToFloat')).toBe(true);
    expect(isProjection('/encoder/layer.0/attention/self/MatMul/MatMulScaleFusion/', 'FusedMatMul')).toBe(false);
    expect(isProjection('/encoder/layer.0/attention/self/MatMul_1', 'MatMul')).toBe(false);
    expect(isProjection('/encoder/layer.0/output/LayerNorm', 'LayerNormalization')).toBe(false);
  });
});
