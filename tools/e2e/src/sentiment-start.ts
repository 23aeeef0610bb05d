/**
 * The e2e's sentiment-monitor stages start at the end of their inputs. `npm test` runs every
 * project on one broker, and the stages of a new group read from the beginning (exactly once,
 * nothing skipped): the console browser specs' news (event times "now", other entities) then sit
 * in front of the replayed sample and move the per-source watermarks past it, so the surge never
 * fires (seen in a clean-clone CI run). A fresh `npm start` on a fresh broker has nothing to skip,
 * so this only removes what other specs left; the console specs do the same for their monitor.
 */
import { ALL_TOPICS, createKafka, ensureTopics, TOPICS } from '@tuneline/events';

/** Retriable Kafka errors (e.g. NOT_LEADER right after topic creation) are retried for 30 s. */
async function retrying(step: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      const retriable = typeof err === 'object' && err !== null && (err as { retriable?: unknown }).retriable === true;
      if (!retriable || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.min(250 * attempt, 2_000)));
    }
  }
}

export async function startSentimentStagesAtEnd(brokers: string, service = 'sentiment-monitor'): Promise<void> {
  const kafka = createKafka({ clientId: 'e2e-sentiment-start', brokers, logLevel: 'nothing' });
  await ensureTopics(kafka, ALL_TOPICS);
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const [groupId, topic] of [
      [`${service}.score`, TOPICS.newsRaw.name],
      [`${service}.windows`, TOPICS.sentimentWindowEvents.name],
    ] as const) {
      await retrying(async () => {
        // A group that already committed (a re-run on a dev broker) keeps its offsets: they pair
        // with its state snapshot in the changelog, and moving them would break that pairing.
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        if (committed?.partitions.some((p) => Number(p.offset) >= 0)) return;
        const ends = await admin.fetchTopicOffsets(topic);
        await admin.setOffsets({ groupId, topic, partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })) });
      });
    }
  } finally {
    await admin.disconnect();
  }
}
