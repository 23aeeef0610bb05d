/**
 * What the browser specs put on Kafka: a burst of clearly negative headlines about one
 * company, tagged upstream (`entities`; an alert on a key no run has seen, against the prior
 * baseline), and a model.published event for a model no service follows (the Models
 * view shows it; every service skips it).
 */
import { createEventProducer, createKafka, TOPICS, type NewsRawValue } from '@tuneline/events';

const NEGATIVE = [
  'shares plunged after regulators opened a fraud investigation',
  'recalled its flagship drug after patient deaths were reported',
  'missed earnings badly and slashed its full-year outlook',
  'was sued by investors over misleading trial results',
  'fired its chief executive amid an accounting scandal',
  'warned of heavy losses and announced mass layoffs',
  'had its credit rating cut to junk by two agencies',
  'faces a criminal probe over falsified safety data',
];

export function negativeBurst(entity: string, suffix: string, count: number, now = Date.now()): NewsRawValue[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `console-test-${suffix}-${i}`,
    source: 'console-browser-spec',
    // One window's worth, ending now: never in the future, never far behind the partition.
    published_at: new Date(now - (count - i) * 500).toISOString(),
    title: `${entity} ${NEGATIVE[i % NEGATIVE.length]}.`,
    body: `${entity} stock collapsed as the bad news spread.`,
    language: 'en',
    entities: [entity],
  }));
}

export async function sendNews(brokers: string, values: NewsRawValue[]): Promise<void> {
  const producer = createEventProducer(createKafka({ clientId: 'console-browser-spec', brokers }));
  try {
    await producer.send(TOPICS.newsRaw, values);
  } finally {
    await producer.disconnect();
  }
}

export async function publishModel(brokers: string, model: string): Promise<void> {
  const producer = createEventProducer(createKafka({ clientId: 'console-browser-spec', brokers }));
  try {
    await producer.send(TOPICS.modelPublished, [
      {
        model,
        version: '1',
        path: '/nonexistent/console-browser-spec',
        sha256: '0'.repeat(64),
        task: 'classify',
        labels: ['a', 'b'],
        metrics: { accuracy: 0.9 },
        publishedAt: new Date().toISOString(),
      },
    ]);
  } finally {
    await producer.disconnect();
  }
}
