import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import { geluBackwardGraph, geluForwardGraph } from './ort-gelu';

/**
 * Where the encoder trainer's matrix products (and, on onnxruntime, GELU) run. Everything
 * else (LayerNorm, softmax, their derivatives) is plain JS over these arrays: element-wise
 * work is ~1% of the FLOPs. ADR 0019: onnxruntime's MatMul ran 40-50 GFLOP/s here vs ~1 for a JS loop.
 * - OrtMatmulEngine: float32, onnxruntime-node (the engine that serves), for training.
 * - JsMatmulEngine: float64 loops, for gradient checks against finite differences.
 */
export type Mat = Float32Array | Float64Array;

/** C[b] = op(A[b]) · op(B[b]) for b < batch; op transposes the last two axes when asked. */
export interface MatmulShape {
  readonly batch: number;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  /** A is stored [batch, k, m] (use Aᵀ). */
  readonly transA?: boolean;
  /** B is stored [batch, n, k] (use Bᵀ). */
  readonly transB?: boolean;
  /** B has no batch axis: one [k, n] (or [n, k]) matrix for every batch entry. */
  readonly sharedB?: boolean;
}

export interface MatmulEngine {
  readonly precision: 'float32' | 'float64';
  /** A zeroed array of this engine's precision. */
  alloc(size: number): Mat;
  matmul(a: Mat, b: Mat, s: MatmulShape): Promise<Mat>;
  /**
   * GELU of x and Φ(x), when the engine runs it itself (onnxruntime: vectorised Erf); an engine
   * without it gets tensor-ops' JS loop.
   */
  gelu?(x: Mat): Promise<{ y: Mat; cdf: Mat }>;
  /** dy·GELU′(x) from x and the Φ(x) gelu() returned; a new array. */
  geluBackward?(x: Mat, dy: Mat, cdf: Mat): Promise<Mat>;
  dispose(): Promise<void>;
}

export class JsMatmulEngine implements MatmulEngine {
  readonly precision = 'float64' as const;
  alloc(size: number): Float64Array {
    return new Float64Array(size);
  }
  async matmul(a: Mat, b: Mat, s: MatmulShape): Promise<Float64Array> {
    const { batch, m, k, n } = s;
    const c = new Float64Array(batch * m * n);
    for (let t = 0; t < batch; t++) {
      const ao = t * m * k;
      const bo = s.sharedB ? 0 : t * k * n;
      const co = t * m * n;
      for (let i = 0; i < m; i++) {
        for (let p = 0; p < k; p++) {
          const av = a[ao + (s.transA ? p * m + i : i * k + p)] as number;
          if (av === 0) continue;
          for (let j = 0; j < n; j++) c[co + i * n + j] += av * (b[bo + (s.transB ? j * k + p : p * n + j)] as number);
        }
      }
    }
    return c;
  }
  async dispose(): Promise<void> {
    return undefined;
  }
}

const FLOAT = onnx.TensorProto.DataType.FLOAT;

function valueInfo(name: string, dims: string[]): onnx.ValueInfoProto {
  return onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => ({ dimParam: d })) } } } });
}

/** A graph computing MatMul(op(a), op(b)) over rank-3 a and rank-3 (or rank-2, shared) b. */
function matmulGraph(transA: boolean, transB: boolean, sharedB: boolean): Uint8Array {
  const nodes: onnx.NodeProto[] = [];
  const perm = (rank: number) => onnx.AttributeProto.create({ name: 'perm', type: onnx.AttributeProto.AttributeType.INTS, ints: rank === 3 ? [0, 2, 1] : [1, 0] });
  let a = 'a';
  let b = 'b';
  if (transA) {
    nodes.push(onnx.NodeProto.create({ opType: 'Transpose', input: ['a'], output: ['at'], attribute: [perm(3)] }));
    a = 'at';
  }
  if (transB) {
    nodes.push(onnx.NodeProto.create({ opType: 'Transpose', input: ['b'], output: ['bt'], attribute: [perm(sharedB ? 2 : 3)] }));
    b = 'bt';
  }
  nodes.push(onnx.NodeProto.create({ opType: 'MatMul', input: [a, b], output: ['c'] }));
  const graph = onnx.GraphProto.create({
    name: 'tuneline_matmul', node: nodes,
    input: [valueInfo('a', ['b', 'r', 'c']), valueInfo('b', sharedB ? ['p', 'q'] : ['b', 'p', 'q'])],
    output: [valueInfo('c', ['b', 'm', 'n'])],
  });
  return onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 7, opsetImport: [{ domain: '', version: 13 }], graph })).finish();
}

const asFloat32 = (x: Mat): Float32Array => (x instanceof Float32Array ? x : Float32Array.from(x));

export class OrtMatmulEngine implements MatmulEngine {
  readonly precision = 'float32' as const;
  private readonly sessions = new Map<string, Promise<ort.InferenceSession>>();

  /**
   * One intra-op thread and no spin-waiting by default: the matrices are small (a batch is
   * ~1-2k rows), the JS between calls is single-threaded, and on a shared 2-core machine
   * spinning threads steal the cores the other process needs.
   */
  constructor(private readonly threads = 1) {}

  alloc(size: number): Float32Array {
    return new Float32Array(size);
  }

  private cached(key: string, graph: () => Uint8Array): Promise<ort.InferenceSession> {
    let s = this.sessions.get(key);
    if (!s) {
      s = ort.InferenceSession.create(graph(), { intraOpNumThreads: this.threads, interOpNumThreads: 1, graphOptimizationLevel: 'all',
        extra: { session: { intra_op: { allow_spinning: '0' } } } });
      this.sessions.set(key, s);
    }
    return s;
  }

  private session(transA: boolean, transB: boolean, sharedB: boolean): Promise<ort.InferenceSession> {
    return this.cached(`${transA}${transB}${sharedB}`, () => matmulGraph(transA, transB, sharedB));
  }

  async gelu(x: Mat): Promise<{ y: Float32Array; cdf: Float32Array }> {
    const session = await this.cached('gelu', geluForwardGraph);
    const out = await session.run({ x: new ort.Tensor('float32', asFloat32(x), [x.length]) });
    return { y: (out['y'] as ort.Tensor).data as Float32Array, cdf: (out['cdf'] as ort.Tensor).data as Float32Array };
  }

  async geluBackward(x: Mat, dy: Mat, cdf: Mat): Promise<Float32Array> {
    const session = await this.cached('gelu_backward', geluBackwardGraph);
    const t = (v: Mat) => new ort.Tensor('float32', asFloat32(v), [v.length]);
    const out = await session.run({ x: t(x), dy: t(dy), cdf: t(cdf) });
    return (out['dx'] as ort.Tensor).data as Float32Array;
  }

  async matmul(a: Mat, b: Mat, s: MatmulShape): Promise<Float32Array> {
    const session = await this.session(!!s.transA, !!s.transB, !!s.sharedB);
    const aDims = s.transA ? [s.batch, s.k, s.m] : [s.batch, s.m, s.k];
    const bInner = s.transB ? [s.n, s.k] : [s.k, s.n];
    const out = await session.run({
      a: new ort.Tensor('float32', asFloat32(a), aDims),
      b: new ort.Tensor('float32', asFloat32(b), s.sharedB ? bInner : [s.batch, ...bInner]),
    });
    return (out['c'] as ort.Tensor).data as Float32Array;
  }

  async dispose(): Promise<void> {
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    for (const s of sessions) await (await s).release();
  }
}
