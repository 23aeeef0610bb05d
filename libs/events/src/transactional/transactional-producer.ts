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
 * (measured). Retrying after 20 ms makes it a few ms. Retries stay unlimited, as KafkaJS
 * wants for an idempotent producer; a stop gives up through its timeout.
 */
export const TRANSACTIONAL_RETRY = Object.freeze({ initialRetryTime: 20, maxRetryTime: 5_000, retries: Number.MAX_SAFE_INTEGER });

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
