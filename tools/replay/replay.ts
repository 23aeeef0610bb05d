/**
 * Replays a JSONL file of news.raw records into Kafka (npm run replay -- --file F.jsonl [--rate 20/s]).
 * Flags: cli-options.ts (REPLAY_CLI). Exit 0: all lines sent; 1: some lines were bad (the rest
 * were sent) or sending failed; 2: usage error.
 */
import { readFileSync } from 'node:fs';
import { createEventProducer, createKafka, defineTopic, errorMessage, kafkaSecurityFromConfig, TOPICS } from '@tuneline/events';
import { runCli } from '../bench/bench-cli';
import { replayArgs } from './cli-options';
import { parseNewsLines, rebaseTimes } from './news-lines';
import { paceRecords } from './pacing';

async function main(): Promise<number> {
  const args = runCli((argv) => replayArgs(argv));
  const { records, bad } = parseNewsLines(readFileSync(args.file, 'utf8'));
  for (const b of bad) process.stderr.write(`${args.file}:${b.line}: skipped: ${b.reason}\n`);
  const values = records.map((r) => r.value);
  const toSend = args.rebaseTime ? rebaseTimes(values, Date.now()) : values;
  const topic = args.topic === TOPICS.newsRaw.name
    ? TOPICS.newsRaw
    : defineTopic({ name: args.topic, schema: TOPICS.newsRaw.schema, partitions: TOPICS.newsRaw.partitions, description: TOPICS.newsRaw.description, key: (v) => v.id });
  const producer = createEventProducer(createKafka({ clientId: 'tuneline-replay', brokers: args.brokers, ...kafkaSecurityFromConfig(process.env) }));
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  await producer.connect();
  try {
    const result = await paceRecords(toSend, {
      send: async (batch) => void (await producer.send(topic, batch)),
      ...(args.ratePerSec !== undefined ? { ratePerSec: args.ratePerSec } : {}),
      batchSize: args.batchSize,
      signal: abort.signal,
    });
    const rate = result.elapsedMs > 0 ? ` (${((result.sent * 1000) / result.elapsedMs).toFixed(1)}/s)` : '';
    process.stdout.write(`${result.aborted ? 'interrupted: ' : ''}sent ${result.sent}/${toSend.length} records to ${topic.name} on ${args.brokers} in ${(result.elapsedMs / 1000).toFixed(1)} s${rate}; ${bad.length} bad line(s) skipped\n`);
    return bad.length > 0 || result.aborted ? 1 : 0;
  } finally {
    await producer.disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`replay failed: ${errorMessage(err)}\n`);
    process.exit(1);
  },
);
