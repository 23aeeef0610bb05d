/**
 * Before the services start: the platform's topics exist (the stages refuse to start without
 * them), and this run's sentiment stages start at the end of their input topics. A new group
 * would otherwise read news.raw and the window events from the beginning: on a broker that
 * earlier runs or replays filled, minutes of backlog in front of the spec's burst.
 */
import { ALL_TOPICS, createKafka, ensureTopics, TOPICS } from '@tuneline/events';

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
      const ends = await admin.fetchTopicOffsets(topic);
      await admin.setOffsets({ groupId, topic, partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })) });
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
