import { KafkaJSError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { isFencedError, TRANSACTIONAL_RETRY } from './transactional-producer';

type Retrier = <R>(fn: (bail: (err: Error) => void, retryCount: number) => Promise<R>) => Promise<R>;
// KafkaJS's own retrier (kafkajs 2.2.4 src/retry), the one its producer runs every request under.
const createRetry = jest.requireActual<(options: object) => Retrier>('kafkajs/src/retry');

const protocol = (type: string, code = 1, message = type) => new KafkaJSProtocolError({ message, type, code, retriable: false } as unknown as Error);

describe('isFencedError', () => {
  it('recognises a fenced producer, also wrapped in KafkaJS retry errors', () => {
    expect(isFencedError(protocol('INVALID_PRODUCER_EPOCH', 47))).toBe(true);
    const wrapped = Object.assign(new KafkaJSNonRetriableError('retries failed'), { cause: protocol('INVALID_PRODUCER_EPOCH', 47) });
    expect(isFencedError(wrapped)).toBe(true);
    const exceeded = new KafkaJSNumberOfRetriesExceeded(protocol('INVALID_PRODUCER_ID_MAPPING', 49), { retryCount: 5, retryTime: 100 } as never);
    expect(isFencedError(exceeded)).toBe(true);
    // PRODUCER_FENCED (90) is unknown to KafkaJS 2.2.4.
    expect(isFencedError(protocol('KAFKAJS_UNKNOWN_ERROR_CODE', -99, 'Unknown error code 90'))).toBe(true);
  });

  it('does not take other failures for fencing', () => {
    expect(isFencedError(protocol('NOT_COORDINATOR', 16))).toBe(false);
    expect(isFencedError(protocol('KAFKAJS_UNKNOWN_ERROR_CODE', -99, 'Unknown error code 900'))).toBe(false);
    expect(isFencedError(new KafkaJSError('network'))).toBe(false);
    expect(isFencedError(new Error('boom'))).toBe(false);
    expect(isFencedError(undefined)).toBe(false);
  });
});

describe('TRANSACTIONAL_RETRY', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('is finite: a call the broker keeps failing gives up after 11 tries and 3-23 s of backoff', async () => {
    const tries: number[] = [];
    const outcome = createRetry(TRANSACTIONAL_RETRY)(async () => {
      tries.push(Date.now());
      throw new KafkaJSError('broker away', { retriable: true });
    }).then(
      () => 'resolved',
      (err: Error) => err.name,
    );
    await jest.advanceTimersByTimeAsync(60_000);
    expect(await outcome).toBe('KafkaJSNumberOfRetriesExceeded');
    expect(tries).toHaveLength(TRANSACTIONAL_RETRY.retries + 1);
    const waitedMs = tries[tries.length - 1] - tries[0];
    expect(waitedMs).toBeGreaterThanOrEqual(2_500);
    expect(waitedMs).toBeLessThanOrEqual(23_000);
  });
});
