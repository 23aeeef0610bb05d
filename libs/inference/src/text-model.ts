import * as ort from 'onnxruntime-node';
import { DEFAULT_MAX_BATCH_SIZE_BY_PROVIDER, DEFAULT_MAX_TOKENS_PER_BATCH_BY_PROVIDER, type BatcherOptions } from './batching/batcher-options';
import { DynamicBatcher, type DrainOptions, type SubmitOptions } from './batching/dynamic-batcher';
import { ModelFormatError } from './errors';
import { checkTexts, DEFAULT_INPUT_LIMITS, type InputLimits } from './limits';
import type { InferenceMetrics } from './metrics';
import { loadModelDir, type ModelDir } from './model/model-dir';
import { poolEmbeddings, softmax } from './pooling';
import { ResponseCache, type ResponseCacheStats } from './response-cache';
import type { ExecutionProviderName } from './session/execution-providers';
import { DEFAULT_MODEL_INSTANCES } from './session/instance-pool';
import { loadInstances, type GraphSource, type LoadedInstances } from './session/load-instances';
import type { CreateOrtSession, GraphOptimizationLevel, ModelSession } from './session/model-session';
import { TextTokenizer, type TokenizedText } from './tokenizer/text-tokenizer';

/**
 * The graph output a fused classifier (libs/finetune) exposes next to its probabilities: the
 * pooled, L2-normalised sentence embedding its head reads. `tuneline.json`'s
 * `source.embeddingOutput` names it when set.
 */
export const SENTENCE_EMBEDDING_OUTPUT = 'sentence_embedding';

/** What `TextModel.inferWithEmbeddings` returns, one entry per text, in order. */
export interface TextModelOutput {
  readonly rows: Float32Array[];
  /** The graph's sentence embedding per text; undefined when the graph has no such output. */
  readonly embeddings: Float32Array[] | undefined;
}

/** One text's result from one run: its row and, when the graph exposes it, its sentence embedding. */
interface RunResult {
  readonly row: Float32Array;
  readonly embedding?: Float32Array;
}

export interface TextModelOptions {
  readonly executionProviders?: readonly ExecutionProviderName[];
  /** Per instance; unset or 0: ORT's default for one instance, cores / N for N (src/session/instance-pool.ts). */
  readonly intraOpNumThreads?: number;
  readonly graphOptimizationLevel?: GraphOptimizationLevel;
  /**
   * ONNX Runtime sessions behind the one batcher (Triton's instance count); the batcher runs
   * up to this many batches at once unless `batching.maxConcurrentBatches` says otherwise.
   */
  readonly instances?: number;
  /**
   * Persist ORT's level-`all` optimised graph beside the model, verified against the
   * original, and load it on later starts (CPU provider only; src/session/optimized-graph.ts).
   */
  readonly persistOptimizedGraph?: boolean;
  readonly batching?: Partial<BatcherOptions>;
  readonly limits?: Partial<InputLimits>;
  /** Overrides the model's own max length (never above it). */
  readonly maxLength?: number;
  readonly metrics?: InferenceMetrics;
  /**
   * Bytes of the response cache (src/response-cache.ts: LRU keyed by model version + token
   * ids, emptied when this version is disposed); unset or 0 = no cache. Worth it where texts
   * repeat (classifiers behind chat); off for encoders, whose inputs rarely do.
   */
  readonly responseCacheBytes?: number;
  readonly name?: string;
  readonly log?: (message: string) => void;
  /** @internal test seam: replaces `ort.InferenceSession.create` (see src/testing.ts). */
  readonly createSession?: CreateOrtSession;
}

/**
 * Tokenizer + ONNX session + dynamic batcher for one model version. Returns one
 * Float32Array per text: a pooled embedding, or class probabilities for classifiers.
 */
export class TextModel {
  /** Tells a TextModel from a FeatureModel where a repository serves both. */
  readonly kind = 'text' as const;

  private constructor(
    readonly dir: ModelDir,
    readonly name: string,
    private readonly session: ModelSession,
    /** Sessions serving this version and the graph file they run, for memory accounting. */
    readonly instances: number,
    readonly graph: GraphSource,
    private readonly graphFileBytes: number,
    private readonly tokenizer: TextTokenizer,
    private readonly batcher: DynamicBatcher<TokenizedText, RunResult>,
    /** The graph output holding the sentence embedding (fused classifiers only), when present. */
    readonly embeddingOutput: string | undefined,
    private readonly limits: InputLimits,
    private readonly metrics: InferenceMetrics | undefined,
  ) {}

  private cache: ResponseCache | undefined;

  static async load(path: string, options: TextModelOptions = {}): Promise<TextModel> {
    const dir = await loadModelDir(path);
    const maxLength = Math.min(options.maxLength ?? dir.config.maxLength, dir.config.maxLength);
    const tokenizer = await TextTokenizer.fromFile(dir.tokenizerPath, maxLength);
    const loaded = await loadInstances({
      modelPath: dir.onnxPath,
      instances: options.instances ?? DEFAULT_MODEL_INSTANCES,
      persistOptimizedGraph: options.persistOptimizedGraph ?? false,
      compare: (reference, candidate) => maxOutputDifference(reference, candidate, dir, tokenizer),
      expectedInputs: dir.config.inputNames.filter((n) => n !== 'token_type_ids'),
      ...(options.executionProviders ? { executionProviders: options.executionProviders } : {}),
      ...(options.intraOpNumThreads !== undefined ? { intraOpNumThreads: options.intraOpNumThreads } : {}),
      ...(options.graphOptimizationLevel ? { graphOptimizationLevel: options.graphOptimizationLevel } : {}),
      ...(options.log ? { log: options.log } : {}),
      ...(options.createSession ? { createSession: options.createSession } : {}),
    });
    // From here on the native sessions are ours: any failure must release them.
    try {
      return await TextModel.assemble(dir, loaded, tokenizer, options);
    } catch (err) {
      await loaded.pool.release();
      throw err;
    }
  }

  private static async assemble(dir: ModelDir, loaded: LoadedInstances, tokenizer: TextTokenizer, options: TextModelOptions): Promise<TextModel> {
    const session = loaded.pool;
    const outputName = session.outputNames.includes(dir.config.outputName) ? dir.config.outputName : undefined;
    if (!outputName) {
      throw new ModelFormatError(`${dir.onnxPath}: output "${dir.config.outputName}" not in graph outputs ${session.outputNames.join(', ')}`);
    }
    const name = options.name ?? String(dir.config.source['catalog'] ?? dir.path);
    const metrics = options.metrics;
    const embeddingOutput = embeddingOutputOf(dir, session.outputNames);
    const runner = makeRunner(session, dir, outputName, embeddingOutput);
    const batching = {
      maxBatchSize: DEFAULT_MAX_BATCH_SIZE_BY_PROVIDER[session.provider],
      maxConcurrentBatches: session.size,
      ...options.batching,
      // Never below the model's max length, a configured budget included: one text at full
      // length must always fit a run (else a valid long text is refused as too large).
      maxTokensPerBatch: Math.max(options.batching?.maxTokensPerBatch ?? DEFAULT_MAX_TOKENS_PER_BATCH_BY_PROVIDER[session.provider], dir.config.maxLength),
    };
    const batcher = new DynamicBatcher<TokenizedText, RunResult>(runner, (t) => t.ids.length, batching,
      metrics ? (s) => metrics.observeBatch(name, session.provider, s) : undefined, options.log);
    const model = new TextModel(dir, name, session, session.size, loaded.graph, loaded.graphFileBytes, tokenizer, batcher, embeddingOutput, { ...DEFAULT_INPUT_LIMITS, ...options.limits }, metrics);
    if (dir.labels && (dir.config.outputKind === 'logits' || dir.config.outputKind === 'probabilities')) {
      const [probe] = await model.infer(['warm-up']);
      if (probe?.length !== dir.labels.length) {
        await batcher.drain();
        throw new ModelFormatError(`${dir.path}: graph outputs ${probe?.length} classes but labels.json has ${dir.labels.length}`);
      }
    }
    // After the warm-up, so its probe neither fills the cache nor counts as a miss.
    if (options.responseCacheBytes) model.cache = new ResponseCache(options.responseCacheBytes, dir.path);
    return model;
  }

  /**
   * Estimated bytes this version holds in weights: the loaded graph file once per instance
   * (each ORT session keeps its own initialisers). Activations come on top, bounded by
   * `maxTokensPerBatch` per running batch.
   */
  get weightBytes(): number {
    return this.graphFileBytes * this.instances;
  }

  get provider(): ExecutionProviderName {
    return this.session.provider;
  }

  /** The batcher's settings in effect (max batch size defaults per provider). */
  get batching(): BatcherOptions {
    return this.batcher.settings;
  }

  get queueDepth(): number {
    return this.batcher.queueDepth;
  }

  /** Hits, misses, entries and bytes of the response cache; undefined when it is off. */
  get responseCache(): ResponseCacheStats | undefined {
    return this.cache?.stats();
  }

  tokenize(text: string): TokenizedText {
    return this.tokenizer.encode(text);
  }

  /** Validates, tokenises, queues all texts or none (queue full), and resolves when all are done. */
  async infer(texts: readonly string[], options: SubmitOptions = {}): Promise<Float32Array[]> {
    return (await this.run(texts, options)).map((r) => r.row);
  }

  /**
   * As `infer`, plus the fused graph's sentence embedding of each text from the same run
   * (no second encoder pass); `embeddings` is undefined when the graph has no such output.
   */
  async inferWithEmbeddings(texts: readonly string[], options: SubmitOptions = {}): Promise<TextModelOutput> {
    const out = await this.run(texts, options);
    const embeddings = this.embeddingOutput ? out.map((r) => r.embedding as Float32Array) : undefined;
    return { rows: out.map((r) => r.row), embeddings };
  }

  private async run(texts: readonly string[], options: SubmitOptions): Promise<RunResult[]> {
    checkTexts(texts, this.limits);
    const started = performance.now();
    try {
      // Refused before tokenising (up to 256 × 20,000 chars, seconds of event loop), so a
      // request shed under overload costs next to nothing. With a response cache the check
      // waits for the misses: a request of hits needs no room in the queue.
      const refused = this.cache ? undefined : this.batcher.refusal(texts.length, options);
      if (refused) throw refused;
      const tokens = texts.map((t) => this.tokenizer.encode(t));
      const out = this.cache ? await this.runCached(this.cache, tokens, options) : await this.batcher.submitMany(tokens, options);
      this.metrics?.observeRequest(this.name, this.provider, (performance.now() - started) / 1000, 'ok');
      return out;
    } catch (err) {
      this.metrics?.observeRequest(this.name, this.provider, (performance.now() - started) / 1000, (err as { code?: string }).code ?? 'error');
      throw err;
    }
  }

  /** Answers what the cache holds and sends only the misses to the batcher, as one submission. */
  private async runCached(cache: ResponseCache, tokens: TokenizedText[], options: SubmitOptions): Promise<RunResult[]> {
    const keys = tokens.map((t) => cache.keyOf(t.ids));
    const results: Array<RunResult | undefined> = keys.map((k) => cache.get(k));
    const missing = results.flatMap((r, i) => (r ? [] : [i]));
    this.metrics?.observeCache?.(this.name, tokens.length - missing.length, missing.length, cache.bytes);
    if (missing.length === 0) return results as RunResult[];
    const computed = await this.batcher.submitMany(missing.map((i) => tokens[i] as TokenizedText), options);
    missing.forEach((i, j) => {
      const result = computed[j] as RunResult;
      results[i] = result;
      cache.set(keys[i] as string, result);
    });
    this.metrics?.observeCache?.(this.name, 0, 0, cache.bytes);
    return results as RunResult[];
  }

  /**
   * Finishes queued work, then releases the session. If a run hangs past the drain
   * timeout this rejects (DEADLINE_EXCEEDED) at once, so a swap is not blocked; requests
   * still queued behind it are rejected UNAVAILABLE (retriable), and the session is
   * released later, when the run ends: freeing it under a live run would crash.
   */
  async dispose(options: DrainOptions = {}): Promise<void> {
    // A swapped-out version's answers must never be served again.
    this.cache?.close();
    try {
      await this.batcher.drain(options);
    } catch (err) {
      void this.batcher.drain({ timeoutMs: Infinity }).then(() => this.session.release()).catch(() => undefined);
      throw err;
    }
    await this.session.release();
  }
}

/** Fixed texts on which a persisted optimised graph must match the original (short, long, punctuation, digits). */
const VERIFY_TEXTS = [
  'hello world',
  'I still have not received my new card, it was ordered two weeks ago and the app says it shipped.',
  'Why was I charged 3.50 EUR twice?!',
  'The company reported a 12% rise in quarterly revenue, beating analyst forecasts.',
];

/** Largest |a - b| over every output value two sessions give for VERIFY_TEXTS, as served (pooled, softmaxed). */
async function maxOutputDifference(a: ModelSession, b: ModelSession, dir: ModelDir, tokenizer: TextTokenizer): Promise<number> {
  const outputName = dir.config.outputName;
  const tokens = VERIFY_TEXTS.map((t) => tokenizer.encode(t));
  const embeddingOutput = embeddingOutputOf(dir, a.outputNames);
  const [ra, rb] = await Promise.all([a, b].map((s) => makeRunner(s, dir, outputName, embeddingOutput)(tokens)));
  let max = 0;
  (ra ?? []).forEach((r, i) => {
    const other = (rb ?? [])[i];
    const pairs: Array<[Float32Array, Float32Array | undefined]> = [[r.row, other?.row]];
    if (r.embedding) pairs.push([r.embedding, other?.embedding]);
    for (const [x, y] of pairs) {
      if (!y || y.length !== x.length) return void (max = Infinity);
      for (let k = 0; k < x.length; k++) max = Math.max(max, Math.abs((x[k] as number) - (y[k] as number)));
    }
  });
  return Number.isNaN(max) ? Infinity : max;
}

/** A classifier graph's sentence-embedding output, when it has one (fused by libs/finetune). */
function embeddingOutputOf(dir: ModelDir, outputNames: readonly string[]): string | undefined {
  const { outputKind, source } = dir.config;
  if (outputKind !== 'logits' && outputKind !== 'probabilities') return undefined;
  const named = source['embeddingOutput'];
  const name = typeof named === 'string' && named ? named : SENTENCE_EMBEDDING_OUTPUT;
  return outputNames.includes(name) ? name : undefined;
}

function rowsOf(data: Float32Array, dims: readonly number[], n: number): Float32Array[] {
  const width = dims[dims.length - 1] as number;
  return Array.from({ length: n }, (_, b) => data.slice(b * width, (b + 1) * width));
}

/** Pads a batch into int64 tensors, runs the graph, and turns the output(s) into one result per item. */
function makeRunner(session: ModelSession, dir: ModelDir, outputName: string, embeddingOutput: string | undefined) {
  const wantsTypeIds = session.inputNames.includes('token_type_ids');
  return async (items: TokenizedText[]): Promise<RunResult[]> => {
    const seq = Math.max(...items.map((t) => t.ids.length));
    const n = items.length;
    const ids = new BigInt64Array(n * seq);
    const mask = new BigInt64Array(n * seq);
    const types = new BigInt64Array(n * seq);
    const masks: number[][] = [];
    items.forEach((t, b) => {
      const row: number[] = new Array<number>(seq).fill(0);
      for (let i = 0; i < t.ids.length; i++) {
        ids[b * seq + i] = BigInt(t.ids[i] as number);
        mask[b * seq + i] = 1n;
        types[b * seq + i] = BigInt(t.typeIds[i] as number);
        row[i] = 1;
      }
      masks.push(row);
    });
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', ids, [n, seq]),
      attention_mask: new ort.Tensor('int64', mask, [n, seq]),
    };
    if (wantsTypeIds) feeds['token_type_ids'] = new ort.Tensor('int64', types, [n, seq]);
    const outputs = await session.run(feeds);
    const out = outputs[outputName];
    if (!out) throw new ModelFormatError(`graph produced no "${outputName}"`);
    const rows = rowsFor(out.data as Float32Array, out.dims, masks, dir);
    if (!embeddingOutput) return rows.map((row) => ({ row }));
    const emb = outputs[embeddingOutput];
    if (!emb) throw new ModelFormatError(`graph produced no "${embeddingOutput}"`);
    const embeddings = rowsOf(emb.data as Float32Array, emb.dims, n);
    return rows.map((row, i) => ({ row, embedding: embeddings[i] as Float32Array }));
  };
}

function rowsFor(data: Float32Array, dims: readonly number[], masks: number[][], dir: ModelDir): Float32Array[] {
  const { outputKind, pooling, normalize } = dir.config;
  if (outputKind === 'token_embeddings') return poolEmbeddings(data, dims, masks, pooling, normalize);
  const rows = rowsOf(data, dims, masks.length);
  if (outputKind === 'logits') return rows.map((r) => Float32Array.from(softmax(r)));
  return rows;
}
