/**
 * Creates the platform's topics on the local broker (npm start): every topic in the
 * @tuneline/events registry with its documented partitions, replication 1. Idempotent.
 * Consumer groups create their own dlq.<group> topics when they start.
 */
import { ALL_TOPICS, createKafka, ensureTopics, kafkaSecurityFromConfig } from '@tuneline/events';

async function main(): Promise<void> {
  const brokers = process.env['KAFKA_BROKERS'] ?? `127.0.0.1:${process.env['KAFKA_PORT'] ?? '9092'}`;
  const kafka = createKafka({ clientId: 'tuneline-ensure-topics', brokers, ...kafkaSecurityFromConfig(process.env) });
  const { created, existing } = await ensureTopics(kafka, ALL_TOPICS);
  console.log(`[tuneline] topics on ${brokers}: ${created.length} created${created.length ? ` (${created.join(', ')})` : ''}, ${existing.length} already there`);
}

main().catch((err: unknown) => {
  console.error(`[tuneline] creating topics failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
