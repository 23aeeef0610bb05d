/**
 * libs/support's SentimentScorer over the sentiment-monitor's `ScoreTexts`
 * (tuneline.sentiment.v1.SentimentService), a real service-to-service gRPC call. Transport
 * only: the decision (threshold, timeout as "no signal", handoff) stays in libs/support's
 * handler, which treats any rejection here as "answer without sentiment" and warns.
 *
 * Each call carries a deadline (the handler's sentimentTimeoutMs, so the remote stops too)
 * and is cancelled when the handler's abort signal fires.
 */
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { createGrpcClient, type GrpcClientOptions } from '@tuneline/platform';
import { sentimentV1 } from '@tuneline/proto';
import type { SentimentScorer } from '@tuneline/support';

/** A label of `sentiment_scores` naming the negative class (labels are the remote model's labels.json). */
const NEGATIVE_LABEL = /^(neg|negative|sentiment_negative)$/i;

/**
 * P(negative) of one TextScore: the negative label's probability when the remote lists one;
 * otherwise max(0, -score), since score = P(positive) - P(negative) ≤ P(negative) — a lower
 * bound, so a missing label can only make a handoff less likely, never invent one.
 */
export function negativeProbabilityOf(result: sentimentV1.TextScore | undefined): number {
  if (!result) throw new Error('ScoreTexts answered no result for the text');
  const labelled = result.sentimentScores.find((s) => NEGATIVE_LABEL.test(s.label.trim()));
  const negative = labelled ? labelled.score : Math.max(0, -result.score);
  if (!Number.isFinite(negative) || negative < 0 || negative > 1) throw new RangeError(`ScoreTexts gave a negative probability of ${negative}, outside [0, 1]`);
  return negative;
}

export class GrpcSentimentScorer implements SentimentScorer {
  constructor(
    private readonly client: Pick<sentimentV1.SentimentServiceClient, 'scoreTexts'>,
    /** Deadline of every call, from its start. */
    private readonly deadlineMs: number,
  ) {
    if (!Number.isInteger(deadlineMs) || deadlineMs < 1) throw new RangeError(`deadlineMs must be a positive integer, got ${deadlineMs}`);
  }

  scoreNegative(text: string, signal: AbortSignal): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      if (signal.aborted) {
        reject(new Error('sentiment scoring aborted before the call'));
        return;
      }
      const onAbort = () => call.cancel();
      const call = this.client.scoreTexts({ texts: [{ id: '', text }] }, new Metadata(), { deadline: Date.now() + this.deadlineMs }, (err: ServiceError | null, res) => {
        signal.removeEventListener('abort', onAbort);
        if (err) {
          reject(new Error(`ScoreTexts failed: ${status[err.code] ?? err.code} ${err.details}`));
          return;
        }
        try {
          resolve(negativeProbabilityOf(res.results[0]));
        } catch (mappingError) {
          reject(mappingError instanceof Error ? mappingError : new Error(String(mappingError)));
        }
      });
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

export interface GrpcSentimentScorerHandle {
  readonly scorer: GrpcSentimentScorer;
  readonly address: string;
  /** Closes the channel (on shutdown). */
  close(): void;
}

/**
 * A scorer on a platform gRPC client of `address` (host:port). The channel connects lazily and
 * reconnects on its own: a remote that is down at start-up or later only fails the calls made
 * meanwhile (fast, UNAVAILABLE), and the chat answers without the signal.
 */
export function createGrpcSentimentScorer(address: string, deadlineMs: number, clientOptions: GrpcClientOptions = {}): GrpcSentimentScorerHandle {
  const client = createGrpcClient(sentimentV1.SentimentServiceClient, address, clientOptions);
  return { scorer: new GrpcSentimentScorer(client, deadlineMs), address, close: () => client.close() };
}
