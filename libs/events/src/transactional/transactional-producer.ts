import type { Kafka, Producer } from 'kafkajs';
import { PRODUCER_CONFIG } from '../producer';

const FENCED_TYPES = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED', 'INVALID_PRODUCER_ID_MAPPING']);

/**
 * Whether an error means this producer no longer owns its transactional id: a newer
 * producer with the same id bumped the epoch (or the broker forgot the id). KafkaJS 2.2.4
 * wraps protocol errors in retry errors (`cause`) and does not know PRODUCER_FENCED (90).
 */
export function isFencedError(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const { type, message, cause } = current as { type?: unknown; message?: unknown; cause?: unknown };
    if (typeof type === 'string' && FENCED_TYPES.has(type)) return true;
    if (typeof message === 'string' && /Unknown error code 90\b/.test(message)) return true;
    current = cause;
  }
  return false;
}

/**
 * The first send of a transaction right after the previous commit often gets
 * CONCURRENT_TRANSACTIONS (the coordinator is still writing the commit markers); with
 * KafkaJS's 300 ms first retry that cost ~300 ms on a quarter of the transactions
 * (measured). Retrying after 20 ms makes it a few ms.
 *
 * Retries are finite: 10 after the first try, backing off from 20 ms, doubling (±20%) up to
 * 5 s: about 15 s of waiting (3–23 s with the spread; factor and multiplier are set here
 * because KafkaJS's defaults differ under NODE_ENV=test) plus the requests themselves; then the call
 * fails and the stage aborts the transaction and retries the chunk (up to retry.maxAttempts)
 * on a new producer. KafkaJS warns that limiting an idempotent producer's retries may break
 * exactly-once: a producer whose send gave up could resend out of sequence. The stage never
 * reuses such a producer: after any Kafka-side failure it closes it and fences with a new one
 * (InitProducerId bumps the epoch and aborts the open transaction), so the warning does not
 * apply. Unlimited retries would hold a chunk (and stop()) for as long as the broker is away.
 */
export const TRANSACTIONAL_RETRY = Object.freeze({ initialRetryTime: 20, maxRetryTime: 5_000, retries: 10, factor: 0.2, multiplier: 2 });

/**
 * Opens the transactional producer of one input partition and takes its transactional
 * id. KafkaJS sends InitProducerId on the first transaction(): it bumps the id's epoch,
 * so an older owner is fenced, and the coordinator first completes (aborts) that owner's
 * open transaction. Ending the empty transaction at once sends nothing. Only after this
 * may the partition's committed offset be read: no older owner can move it any more.
 */
export async function openFencedProducer(kafka: Kafka, transactionalId: string, transactionTimeoutMs: number): Promise<Producer> {
  const producer = kafka.producer({ ...PRODUCER_CONFIG, transactionalId, transactionTimeout: transactionTimeoutMs, idempotent: true, maxInFlightRequests: 1, retry: TRANSACTIONAL_RETRY });
  await producer.connect();
  try {
    const init = await producer.transaction();
    await init.abort();
  } catch (err) {
    await producer.disconnect().catch(() => undefined);
    throw err;
  }
  return producer;
}
