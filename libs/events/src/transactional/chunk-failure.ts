/**
 * What a transactional stage does after one attempt of a chunk failed (ADR 0014), pure.
 *
 * - `fenced`: a newer owner holds the partition's transactional id; leave the chunk to it.
 * - `retry`: abort, back off, attempt the chunk again. A retriable failure of `process`
 *   (model unavailable, queue full) is always retried, never dead-lettered: valid records
 *   must not be lost to an outage. The stage reports unhealthy while it lasts (stage-health).
 * - `isolate`: `process` (or an output's schema) failed for a reason retrying cannot fix;
 *   the chunk's records are attempted one by one and a record that still fails is dead-lettered.
 * - `give-up`: a Kafka-side failure (send, offsets, commit) that is not retriable, or that
 *   failed `maxAttempts` times in a row: the error goes to KafkaJS (consumer restart or crash).
 */
export type ChunkFailureAction = 'fenced' | 'retry' | 'isolate' | 'give-up';

export interface ChunkFailure {
  /** The error says another producer took the transactional id. */
  readonly fenced: boolean;
  /** Raised by `process`, an output's schema or `serialize` (the records' side), not by Kafka. */
  readonly inProcess: boolean;
  readonly retriable: boolean;
  /** Kafka-side failures of this chunk in a row, this one included. */
  readonly kafkaFailures: number;
  /** `retry.maxAttempts`. */
  readonly maxAttempts: number;
}

export function chunkFailureAction(failure: ChunkFailure): ChunkFailureAction {
  if (failure.fenced) return 'fenced';
  if (failure.inProcess) return failure.retriable ? 'retry' : 'isolate';
  return failure.retriable && failure.kafkaFailures < failure.maxAttempts ? 'retry' : 'give-up';
}
