/**
 * Before the services start: the platform's topics exist (the stages refuse to start without
 * them), and this run's sentiment stages start at the end of their input topics. A new group
 * would otherwise read news.raw and the window events from the beginning: on a broker that
 * earlier runs or replays filled, minutes of backlog in front of the spec's burst.
 */
import { ALL_TOPICS, createKafka, ensureTopics, TOPICS } from '@tuneline/events';

/**
 * Right after ensureTopics created a topic, a fresh client's first ListOffsets can still meet
 * NOT_LEADER_FOR_PARTITION (the broker's metadata lags the controller's by a moment; seen on a
 * loaded CI). Retriable Kafka errors are retried for up to 30 s; anything else fails at once.
 */
async function retrying(what: string, step: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      const retriable = typeof err === 'object' && err !== null && (err as { retriable?: unknown }).retriable === true;
      if (!retriable || Date.now() > deadline) throw err;
      process.stderr.write(`kafka-prep: ${what}: ${err instanceof Error ? err.message : String(err)}; retrying (attempt ${attempt})\n`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(250 * attempt, 2_000)));
    }
  }
}

export async function prepareKafka(brokers: string, sentimentService: string): Promise<void> {
  const kafka = createKafka({ clientId: 'console-browser-spec', brokers });
  await ensureTopics(kafka, ALL_TOPICS);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const starts: [string, string][] = [
      [`${sentimentService}.score`, TOPICS.newsRaw.name],
      [`${sentimentService}.windows`, TOPICS.sentimentWindowEvents.name],
    ];
    for (const [groupId, topic] of starts) {
      await retrying(`moving ${groupId} to the end of ${topic}`, async () => {
        const ends = await admin.fetchTopicOffsets(topic);
        await admin.setOffsets({ groupId, topic, partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })) });
      });
    }
  } finally {
    await admin.disconnect();
  }
}

// Run as a script by platform.ts (`tsx kafka-prep.ts BROKERS SERVICE`): Jest's globalSetup does not
// resolve the workspace's path aliases, tsx does.
if (require.main === module) {
  const [brokers, service] = process.argv.slice(2);
  if (!brokers || !service) {
    process.stderr.write('usage: kafka-prep.ts BROKERS SENTIMENT_SERVICE_NAME\n');
    process.exit(2);
  }
  prepareKafka(brokers, service).catch((err: unknown) => {
    process.stderr.write(`kafka-prep: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
