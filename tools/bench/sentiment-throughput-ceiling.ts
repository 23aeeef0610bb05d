/**
 * The classifier ceiling's load shape (tools/bench/sentiment-throughput.ts): `concurrency`
 * callers, each submitting chunks of `chunkSize` texts back to back, as the score stage's
 * partitions do (one chunk per partition in flight), cycling over the texts. No new chunk
 * starts after `durationMs`; the run ends when the last one in flight does, and every text
 * of every chunk counts over the whole time, so nothing finished is dropped or half-counted.
 */
export interface ChunkLoopOptions {
  readonly texts: readonly string[];
  readonly chunkSize: number;
  readonly concurrency: number;
  readonly durationMs: number;
  /** One call: the chunk's texts and their indexes in `texts`. */
  readonly run: (chunk: readonly string[], indexes: readonly number[]) => Promise<void>;
  readonly now?: () => number;
}

export interface ChunkLoopResult {
  readonly texts: number;
  readonly chunks: number;
  readonly seconds: number;
  readonly textsPerSec: number;
}

function positiveInt(name: string, x: number): void {
  if (!Number.isInteger(x) || x < 1) throw new RangeError(`${name}: expected an integer >= 1, got ${x}`);
}

export async function closedLoopChunks(o: ChunkLoopOptions): Promise<ChunkLoopResult> {
  if (o.texts.length === 0) throw new RangeError('texts: expected at least one text');
  positiveInt('chunkSize', o.chunkSize);
  positiveInt('concurrency', o.concurrency);
  if (!(o.durationMs > 0)) throw new RangeError(`durationMs: expected > 0, got ${o.durationMs}`);
  const now = o.now ?? (() => performance.now());
  const start = now();
  let cursor = 0;
  let texts = 0;
  let chunks = 0;
  const worker = async () => {
    while (now() - start < o.durationMs) {
      const indexes = Array.from({ length: o.chunkSize }, (_, i) => (cursor + i) % o.texts.length);
      cursor = (cursor + o.chunkSize) % o.texts.length;
      await o.run(indexes.map((i) => o.texts[i] as string), indexes);
      texts += indexes.length;
      chunks++;
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  const seconds = (now() - start) / 1000;
  return { texts, chunks, seconds, textsPerSec: texts / seconds };
}
