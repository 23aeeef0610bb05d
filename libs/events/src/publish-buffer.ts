import type { AnyTopicDefinition } from './topic-definition';

/** One accepted record: its (already validated) value and its encoded size. */
export interface BufferedRecord {
  readonly value: unknown;
  readonly bytes: number;
  /** Arrival order across topics, so the oldest lane is sent first. */
  readonly seq: number;
}

export interface BufferBatch {
  readonly topic: AnyTopicDefinition;
  readonly records: readonly BufferedRecord[];
}

interface Lane {
  readonly topic: AnyTopicDefinition;
  readonly records: BufferedRecord[];
}

/**
 * The bounded FIFO behind the buffered publisher: one lane per topic, bounded in records
 * and bytes over all lanes. Records stay counted until acknowledged, so records being
 * sent still take room and the bound holds while Kafka is slow or down.
 *
 * When full it refuses the newest record rather than dropping the oldest: the caller
 * learns at once (enqueue returns false), records already accepted are never lost
 * behind its back, and a session's earlier turns survive rather than its later feedback.
 */
export class PublishBuffer {
  private readonly lanes = new Map<string, Lane>();
  private count = 0;
  private size = 0;
  private seq = 0;

  constructor(
    readonly capacity: number,
    readonly maxBytes: number,
  ) {}

  get depth(): number {
    return this.count;
  }

  get bytes(): number {
    return this.size;
  }

  /** Appends a record; false (nothing stored) when it would exceed either bound. */
  push(topic: AnyTopicDefinition, value: unknown, bytes: number): boolean {
    if (this.count + 1 > this.capacity || this.size + bytes > this.maxBytes) return false;
    let lane = this.lanes.get(topic.name);
    if (!lane) {
      lane = { topic, records: [] };
      this.lanes.set(topic.name, lane);
    }
    lane.records.push({ value, bytes, seq: this.seq++ });
    this.count++;
    this.size += bytes;
    return true;
  }

  /**
   * Up to `max` oldest records of the lane whose head is oldest, among the lanes `ready`
   * accepts (default all: a lane backing off after a failed send is skipped, so it does
   * not hold up the other topics); nothing is removed.
   */
  peek(max: number, ready: (topicName: string) => boolean = () => true): BufferBatch | undefined {
    let oldest: Lane | undefined;
    for (const [name, lane] of this.lanes) {
      const head = lane.records[0];
      if (head && (!oldest || head.seq < (oldest.records[0] as BufferedRecord).seq) && ready(name)) oldest = lane;
    }
    return oldest ? { topic: oldest.topic, records: oldest.records.slice(0, max) } : undefined;
  }

  /** Names of the topics with records held. */
  topics(): string[] {
    return [...this.lanes.keys()];
  }

  /** Removes the first `count` records of a topic's lane (after they were sent, or dropped). */
  remove(topicName: string, count: number): void {
    const lane = this.lanes.get(topicName);
    if (!lane) return;
    for (const r of lane.records.splice(0, count)) {
      this.count--;
      this.size -= r.bytes;
    }
    if (lane.records.length === 0) this.lanes.delete(topicName);
  }

  /** Empties the buffer; returns how many records each topic lost. */
  clear(): Map<string, number> {
    const lost = new Map([...this.lanes].map(([name, lane]) => [name, lane.records.length] as const));
    this.lanes.clear();
    this.count = 0;
    this.size = 0;
    return lost;
  }
}
