/**
 * `npm run catalog:load -- --file F [--tags T] [--brokers B] [--topic catalog.items] [--dry-run]`:
 * publishes a catalog file (JSONL of catalog.items values, or a MovieLens movies.csv with
 * --tags tags.csv) to catalog.items. Every recommender replica consumes that compacted topic
 * in its own group from the beginning, so loaded items reach every replica, now and later.
 * Exit 0: every item sent; 1: some lines were bad (the rest were sent) or sending failed; 2: usage.
 */
import { existsSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { TOPICS, createEventProducer, createKafka, defineTopic, errorMessage, kafkaSecurityFromConfig, parseBrokers } from '@tuneline/events';
import { readCatalogFile } from './catalog/catalog-file';

const BATCH = 500;

async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('catalog:load')
    .description('Publish a catalog file to catalog.items (upserts keyed by item id).')
    .requiredOption('--file <file>', 'JSONL of catalog.items values ({id, title, description?, tags?, genres?, createdAt?}) or a MovieLens movies.csv')
    .option('--tags <file>', 'MovieLens tags.csv to attach to the movies of a CSV --file')
    .option('--brokers <list>', 'Kafka brokers', process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092')
    .option('--topic <name>', 'topic to publish to', TOPICS.catalogItems.name)
    .option('--dry-run', 'read and check the file, publish nothing')
    .exitOverride();
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    return err instanceof CommanderError && err.exitCode === 0 ? 0 : 2;
  }
  const o = program.opts<{ file: string; tags?: string; brokers: string; topic: string; dryRun?: boolean }>();
  for (const f of [o.file, o.tags]) {
    if (f !== undefined && !existsSync(f)) {
      process.stderr.write(`catalog:load: ${f}: file not found\n`);
      return 2;
    }
  }
  const { items, bad } = readCatalogFile(o.file, o.tags);
  for (const b of bad) process.stderr.write(`${o.file}:${b.line}: skipped: ${b.reason}\n`);
  if (o.dryRun) {
    process.stdout.write(`dry run: ${items.length} valid item(s), ${bad.length} bad line(s); nothing sent\n`);
    return bad.length > 0 ? 1 : 0;
  }
  const topic = o.topic === TOPICS.catalogItems.name ? TOPICS.catalogItems : defineTopic({ ...TOPICS.catalogItems, name: o.topic });
  const producer = createEventProducer(createKafka({ clientId: 'tuneline-catalog-load', brokers: parseBrokers(o.brokers), ...kafkaSecurityFromConfig(process.env) }));
  const t0 = performance.now();
  try {
    for (let i = 0; i < items.length; i += BATCH) await producer.send(topic, items.slice(i, i + BATCH));
  } finally {
    await producer.disconnect();
  }
  process.stdout.write(`sent ${items.length} item(s) to ${topic.name} on ${o.brokers} in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${bad.length} bad line(s) skipped\n`);
  return bad.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`catalog:load failed: ${errorMessage(err)}\n`);
    process.exit(1);
  },
);
