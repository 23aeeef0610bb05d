import { softmaxCrossEntropy } from '../heads/losses';
import { createRng, gaussian } from '../math/random';
import { JsMatmulEngine } from './matmul-engine';
import { tinyBertGraph } from './tiny-bert';
import { TunedEncoder, type EncoderMethod, type HiddenBatch } from './tuned-encoder';
import { BertLayer, type LoraTarget } from './bert-layer';
import { dropoutInPlace } from './tensor-ops';

/**
 * Every trained parameter's analytic gradient against central finite differences of the
 * forward pass, in float64 (JsMatmulEngine), on a 2-layer random encoder with padding: a
 * wrong backward for attention, LayerNorm, GELU, pooling, normalisation, LoRA or the head
 * shows up as a relative error far above 1e-5 (the float64 truncation error of h = 1e-5 is ~1e-10).
 */
const e = new JsMatmulEngine();
const graph = tinyBertGraph({ layers: 3, hidden: 8, heads: 2, ffn: 12, seed: 5 });

function batch(): HiddenBatch {
  const rng = createRng(9);
  const B = 3, T = 4, D = 8;
  const hidden = e.alloc(B * T * D).map(() => gaussian(rng));
  const mask = Uint8Array.from([1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0]);
  return { hidden, mask, B, T };
}
const targets = Int32Array.from([0, 2, 1]);

async function loss(model: TunedEncoder, b: HiddenBatch): Promise<number> {
  const pass = await model.forward(b, false);
  return softmaxCrossEntropy(pass.logits, b.B, 3, targets).loss;
}

async function worstRelativeError(method: EncoderMethod, pooling: 'cls' | 'mean', targetsLora: readonly LoraTarget[]): Promise<{ worst: number; checked: number }> {
  const model = new TunedEncoder(e, graph, { method, layers: 2, lora: { rank: 2, alpha: 4, targets: targetsLora }, pooling, normalize: true, classes: 3, seed: 1 });
  // LoRA B starts at zero (ΔW = 0); move it so A's gradient is not trivially zero.
  const rng = createRng(3);
  for (const p of model.encoderParams) if (p.name.endsWith('lora_B')) for (let i = 0; i < p.data.length; i++) p.data[i] = 0.3 * gaussian(rng);
  const b = batch();
  const pass = await model.forward(b, true);
  await pass.backward(softmaxCrossEntropy(pass.logits, b.B, 3, targets).grad);
  let worst = 0;
  let checked = 0;
  const h = 1e-5;
  for (const p of [...model.encoderParams, ...model.headParams]) {
    const step = Math.max(1, Math.floor(p.data.length / 7));
    for (let i = 0; i < p.data.length; i += step) {
      const keep = p.data[i] as number;
      p.data[i] = keep + h;
      const up = await loss(model, b);
      p.data[i] = keep - h;
      const down = await loss(model, b);
      p.data[i] = keep;
      const numeric = (up - down) / (2 * h);
      const analytic = p.grad[i] as number;
      worst = Math.max(worst, Math.abs(numeric - analytic) / Math.max(1e-4, Math.abs(numeric) + Math.abs(analytic)));
      checked++;
    }
  }
  return { worst, checked };
}

describe('encoder gradients vs finite differences (float64)', () => {
  it('top-layers: every weight of the top 2 layers and the head, CLS pooling', async () => {
    const r = await worstRelativeError('top-layers', 'cls', []);
    expect(r.checked).toBeGreaterThan(200);
    expect(r.worst).toBeLessThan(1e-5);
  });

  it('lora on query, value and FFN, mean pooling over a padded batch', async () => {
    const r = await worstRelativeError('lora', 'mean', ['query', 'value', 'ffn']);
    expect(r.checked).toBeGreaterThan(80);
    expect(r.worst).toBeLessThan(1e-5);
  });

  it('lora trains only adapters and the head; the base weights stay frozen', () => {
    const model = new TunedEncoder(e, graph, { method: 'lora', layers: 2, lora: { rank: 2, alpha: 4, targets: ['query', 'value'] }, pooling: 'cls', normalize: true, classes: 3, seed: 1 });
    expect(model.encoderParams.map((p) => p.name)).toEqual(['layer1.wq.lora_A', 'layer1.wq.lora_B', 'layer1.wv.lora_A', 'layer1.wv.lora_B',
      'layer2.wq.lora_A', 'layer2.wq.lora_B', 'layer2.wv.lora_A', 'layer2.wv.lora_B']);
  });
});

/**
 * Hidden dropout: with the same mask replayed (a fresh seeded stream per pass), the layer's
 * backward must still match finite differences of its forward; and the mask must really act.
 */
describe('hidden dropout in a trained layer', () => {
  const cfg = { heads: 2, lnEps: graph.lnEps, trainBase: false, lora: { rank: 2, alpha: 4, targets: ['query', 'value', 'ffn'] as const } };
  const dropout = () => ({ p: 0.3, stream: { state: 11 } });

  it('backward matches finite differences with the mask held fixed, for the adapters and the input', async () => {
    const layer = new BertLayer(e, graph.layer(2), cfg, createRng(1));
    const rng = createRng(3);
    for (const p of layer.params) if (p.name.endsWith('lora_B')) for (let i = 0; i < p.data.length; i++) p.data[i] = 0.3 * gaussian(rng);
    const b = batch();
    const R = e.alloc(b.hidden.length).map(() => gaussian(rng));
    const lossAt = async () => {
      const y = (await layer.forward(b.hidden, b.mask, b.B, b.T, dropout())).y;
      let s = 0;
      for (let i = 0; i < y.length; i++) s += (y[i] as number) * (R[i] as number);
      return s;
    };
    const pass = await layer.forward(b.hidden, b.mask, b.B, b.T, dropout());
    const dx = (await pass.back(Float64Array.from(R), true)) as Float64Array;
    const h = 1e-5;
    let worst = 0;
    let checked = 0;
    const check = async (data: Float64Array | Float32Array, i: number, analytic: number) => {
      const keep = data[i] as number;
      data[i] = keep + h;
      const up = await lossAt();
      data[i] = keep - h;
      const down = await lossAt();
      data[i] = keep;
      const numeric = (up - down) / (2 * h);
      worst = Math.max(worst, Math.abs(numeric - analytic) / Math.max(1e-4, Math.abs(numeric) + Math.abs(analytic)));
      checked++;
    };
    for (const p of layer.params) for (let i = 0; i < p.data.length; i += Math.max(1, Math.floor(p.data.length / 5))) await check(p.data, i, p.grad[i] as number);
    for (let i = 0; i < b.hidden.length; i += 7) await check(b.hidden, i, dx[i] as number);
    expect(checked).toBeGreaterThan(60);
    expect(worst).toBeLessThan(1e-5);
  });

  it('drops about p of the values, only while training', async () => {
    const b = batch();
    const model = (dropoutP: number) =>
      new TunedEncoder(e, graph, { method: 'lora', layers: 2, lora: { rank: 2, alpha: 4, targets: ['query'] }, pooling: 'mean', normalize: true, classes: 3, seed: 1, dropout: dropoutP });
    const plain = await model(0).forward(b, true);
    const evaluated = await model(0.3).forward(b, false);
    const trained = await model(0.3).forward(b, true);
    expect(Array.from(evaluated.logits)).toEqual(Array.from(plain.logits));
    expect(Math.max(...Array.from(trained.logits, (v, i) => Math.abs(v - (plain.logits[i] as number))))).toBeGreaterThan(1e-3);
    const x = e.alloc(100_001).fill(1);
    const stream = { state: 4 };
    const factor = dropoutInPlace(e, x, 0.3, stream);
    expect(stream.state).not.toBe(4);
    const values = Array.from(x);
    const zeroed = values.filter((v) => v === 0).length / x.length;
    expect(zeroed).toBeGreaterThan(0.29);
    expect(zeroed).toBeLessThan(0.31);
    // The odd last value is drawn too; kept values carry 1/(1 − p), p rounded to 1/65536.
    expect(values.every((v, i) => v === factor[i] && (v === 0 || Math.abs(v - 1 / 0.7) < 1e-4))).toBe(true);
    expect(values.slice(-200).some((v) => v === 0) && values.slice(-200).some((v) => v > 1)).toBe(true);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    expect(Math.abs(mean - 1)).toBeLessThan(0.01);
    expect(() => model(1)).toThrow('dropout must be in [0, 1), got 1');
  });
});
