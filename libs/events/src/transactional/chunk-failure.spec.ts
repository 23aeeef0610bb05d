import { chunkFailureAction, type ChunkFailure } from './chunk-failure';

const base: ChunkFailure = { fenced: false, inProcess: true, retriable: true, kafkaFailures: 0, maxAttempts: 3 };

describe('chunkFailureAction', () => {
  it('retries a retriable process failure however long it lasts: an outage never dead-letters valid records', () => {
    expect(chunkFailureAction(base)).toBe('retry');
    // Past the budget too (process failures are not counted as Kafka failures).
    expect(chunkFailureAction({ ...base, kafkaFailures: 0, maxAttempts: 1 })).toBe('retry');
  });

  it('isolates a chunk whose process failed for a reason retrying cannot fix', () => {
    expect(chunkFailureAction({ ...base, retriable: false })).toBe('isolate');
  });

  it('retries a retriable Kafka-side failure up to maxAttempts in a row, then gives it to KafkaJS', () => {
    const kafka = { ...base, inProcess: false };
    expect([1, 2, 3].map((kafkaFailures) => chunkFailureAction({ ...kafka, kafkaFailures }))).toEqual(['retry', 'retry', 'give-up']);
    expect(chunkFailureAction({ ...kafka, retriable: false, kafkaFailures: 1 })).toBe('give-up');
  });

  it('leaves a fenced chunk to the newer owner, whatever else is true', () => {
    expect(chunkFailureAction({ ...base, fenced: true })).toBe('fenced');
    expect(chunkFailureAction({ ...base, fenced: true, inProcess: false, kafkaFailures: 9 })).toBe('fenced');
  });
});
