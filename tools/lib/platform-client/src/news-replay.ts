/**
 * Replays the sample news stream (libs/sentiment/samples/news-sample.jsonl, a Northwind Bank
 * surge inside 6 h of news) into news.raw with event times rebased to now, through
 * tools/replay (the same path as the sentiment-monitor's tryIt), and watches sentiment.alerts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createKafka, sentimentAlertSchema, TOPICS, type SentimentAlertValue } from '@tuneline/events';

export const SAMPLE_NEWS = 'libs/sentiment/samples/news-sample.jsonl';
/** The entity whose surge the sample holds (news-sample.truth.json). */
export const SURGE_ENTITY = 'Northwind Bank';

/** Starts the replay as a child process (stderr kept for errors); kill() it to stop early. */
export function startReplay(root: string, brokers: string, ratePerSec: number): ChildProcess {
  const tsx = join(root, 'node_modules/.bin/tsx');
  return spawn(
    tsx,
    ['--tsconfig', 'tools/tsconfig.json', 'tools/replay/replay.ts', '--file', SAMPLE_NEWS, '--rebase-time', '--rate', `${ratePerSec}/s`, '--brokers', brokers],
    { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

/**
 * Resolves with the first sentiment.alerts record for `entity` raised at or after `since`
 * (older alerts from earlier replays are skipped), read from the beginning of the topic.
 */
export async function waitForKafkaAlert(brokers: string, entity: string, since: Date, timeoutMs: number): Promise<SentimentAlertValue> {
  const kafka = createKafka({ clientId: 'tuneline-platform-check', brokers });
  const consumer = kafka.consumer({ groupId: `tuneline-platform-check-${process.pid}-${Date.now()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: TOPICS.sentimentAlerts.name, fromBeginning: true });
    return await new Promise<SentimentAlertValue>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${entity} alert on ${TOPICS.sentimentAlerts.name} in ${timeoutMs} ms`)), timeoutMs);
      void consumer
        .run({
          eachMessage: async ({ message }) => {
            const parsed = sentimentAlertSchema.safeParse(JSON.parse(message.value?.toString() ?? 'null'));
            if (parsed.success && parsed.data.name === entity && Date.parse(parsed.data.raisedAt) >= since.getTime()) {
              clearTimeout(timer);
              resolve(parsed.data);
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
}
