/**
 * The served sentiment model as the service uses it: one inference pass per batch of texts
 * through ModelRepository (sentiment probabilities and the fused graph's sentence embedding
 * from the same run), plus the topic scorer that reads those embeddings.
 *
 * The topic descriptions are embedded once per encoder, through the same model, and kept
 * by the encoder's key (encoderKeyOf: the version's model card `baseModel.sha256`, or the
 * version itself when its encoder was tuned): a hot swap to a version whose head was trained on
 * the same frozen encoder reuses them, a swap to another key re-embeds them before any item of
 * that version is scored (embeddings of two encoders never meet).
 */
import { setMaxListeners } from 'node:events';
import { ModelUnavailableError, type InferResult, type LoadedVersion, type ModelRepository, type SubmitOptions } from '@tuneline/inference';
import { sentimentColumns, type TopicDefinition, type TopicScorer } from '@tuneline/sentiment';

/** How topic scorers are made (embedding similarity by default; a seam for tests). */
export type TopicScorerFactory = (topics: readonly TopicDefinition[], embed: (texts: string[]) => Promise<Float32Array[]>) => Promise<TopicScorer>;

/** One model run over a batch of texts, with the topic scorer for its embeddings. */
export interface SentimentRun {
  /** Model name in the repository. */
  readonly model: string;
  /** `<model>@<version>`, as ScoredItem.modelVersion and alerts carry it. */
  readonly modelVersion: string;
  readonly version: string;
  readonly labels: readonly string[];
  readonly rows: readonly Float32Array[];
  readonly embeddings: readonly Float32Array[];
  readonly topics: TopicScorer;
}

/**
 * Which encoder made a version's embeddings: the model card's `baseModel.sha256` for a head
 * trained on a frozen encoder. A version whose card has `encoderTuning` (`--method lora |
 * top-layers`) merged trained weights into its encoder, so its embeddings are its own even
 * though the card names the same base: keyed by the version, never sharing topic centroids
 * with another version.
 */
export function encoderKeyOf(result: Pick<InferResult, 'card' | 'version'>, model: string): string {
  const base = result.card?.['baseModel'];
  const sha = base && typeof base === 'object' ? (base as Record<string, unknown>)['sha256'] : undefined;
  // Without a card, a version is its own encoder as far as we can tell.
  if (typeof sha !== 'string' || !sha || result.card?.['encoderTuning'] !== undefined) return `${model}@${result.version}`;
  return sha;
}

/**
 * What a sentiment model version must offer: exactly the three sentiment labels and the sentence
 * embedding output (topics by similarity). Run on load and before every hot swap; a version
 * that fails keeps the old one serving.
 */
export function checkSentimentModel(candidate: Pick<LoadedVersion, 'model' | 'version' | 'textModel'>): void {
  // Exactly negative, neutral and positive, in any order (scoreItems reads the columns by name).
  sentimentColumns(candidate.textModel.dir.labels, `${candidate.model}@${candidate.version}`);
  if (!candidate.textModel.embeddingOutput) {
    throw new TypeError(`${candidate.model} v${candidate.version}: the graph has no sentence_embedding output (topics need it; export with libs/finetune's fused graph)`);
  }
}

/** Topic scorers kept at most (one per encoder seen recently). */
const MAX_SCORERS = 4;
/** Swaps in a row between a run and its topic scorer before giving up (retriable). */
const MAX_SCORER_ATTEMPTS = 3;

type Repository = Pick<ModelRepository, 'infer' | 'onSwap'>;

/**
 * The batcher listens for abort once per text; on a caller's signal shared by a whole chunk
 * (64 texts) that trips Node's listener-leak warning. A signal of our own, with room for
 * that many listeners, follows the caller's.
 */
function perTextSignal(signal: AbortSignal | undefined, texts: number): { signal: AbortSignal | undefined; release(): void } {
  if (!signal) return { signal: undefined, release: () => undefined };
  const controller = new AbortController();
  setMaxListeners(texts + 10, controller.signal);
  const follow = () => controller.abort(signal.reason);
  if (signal.aborted) follow();
  else signal.addEventListener('abort', follow, { once: true });
  return { signal: controller.signal, release: () => signal.removeEventListener('abort', follow) };
}

export class SentimentModel {
  private readonly scorers = new Map<string, Promise<TopicScorer>>();

  constructor(
    private readonly repository: Repository,
    readonly name: string,
    private readonly topicDefinitions: readonly TopicDefinition[],
    private readonly createTopicScorer: TopicScorerFactory,
  ) {
    // Re-embed the descriptions as soon as a version on another encoder is served, not on the first item.
    repository.onSwap((v) => {
      if (v.model !== name) return;
      const key = encoderKeyOf({ card: v.textModel.dir.card, version: v.version }, name);
      if (!this.scorers.has(key)) void this.buildScorer().catch(() => undefined);
    });
  }

  /** Scores texts (≤ the repository's per-call limit) in one pass; all results come from one version. */
  async run(texts: readonly string[], options: SubmitOptions = {}): Promise<SentimentRun> {
    const { signal, release } = perTextSignal(options.signal, texts.length);
    try {
      return await this.runOnce(texts, { ...options, ...(signal ? { signal } : {}) });
    } finally {
      release();
    }
  }

  private async runOnce(texts: readonly string[], options: SubmitOptions): Promise<SentimentRun> {
    for (let attempt = 1; ; attempt++) {
      const result = await this.repository.infer(this.name, texts, { ...options, withEmbedding: true });
      const key = encoderKeyOf(result, this.name);
      const topics = await this.scorerFor(key);
      if (topics) return this.runOf(result, topics);
      if (attempt >= MAX_SCORER_ATTEMPTS) {
        throw new ModelUnavailableError(`${this.name}: versions kept swapping while the topic descriptions were embedded; retry`);
      }
    }
  }

  /** Builds the scorer for the current version's encoder up front (start-up), so the first batch does not wait. */
  async warmUp(): Promise<void> {
    await this.buildScorer();
  }

  private runOf(result: InferResult, topics: TopicScorer): SentimentRun {
    if (!result.labels) throw new TypeError(`${this.name} v${result.version}: no labels.json`);
    if (!result.embeddings) throw new TypeError(`${this.name} v${result.version}: no sentence_embedding output`);
    return {
      model: this.name,
      modelVersion: `${this.name}@${result.version}`,
      version: result.version,
      labels: result.labels,
      rows: result.rows,
      embeddings: result.embeddings,
      topics,
    };
  }

  /** The scorer for an encoder: built when missing; undefined when the build ran on yet another encoder (a swap meanwhile). */
  private async scorerFor(key: string): Promise<TopicScorer | undefined> {
    const known = this.scorers.get(key);
    if (known) return known;
    const built = await this.buildScorer();
    return built.key === key ? built.scorer : undefined;
  }

  /** Embeds the descriptions on whatever version serves now and files the scorer under that version's encoder. */
  private async buildScorer(): Promise<{ key: string; scorer: TopicScorer }> {
    let key: string | undefined;
    const scorer = this.createTopicScorer(this.topicDefinitions, async (texts) => {
      const result = await this.repository.infer(this.name, texts, { withEmbedding: true });
      if (!result.embeddings) throw new TypeError(`${this.name} v${result.version}: no sentence_embedding output`);
      key = encoderKeyOf(result, this.name);
      return result.embeddings;
    });
    const done = await scorer;
    if (key === undefined) throw new TypeError('topic scorer factory never embedded the descriptions');
    if (!this.scorers.has(key)) {
      this.scorers.set(key, Promise.resolve(done));
      while (this.scorers.size > MAX_SCORERS) this.scorers.delete(this.scorers.keys().next().value as string);
    }
    return { key, scorer: done };
  }
}
