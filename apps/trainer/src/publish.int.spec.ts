import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createKafka } from '@tuneline/events';
import { jsonLines, ROOT, runCli, type CliResult } from '../test/run-cli';

const BROKERS = process.env['KAFKA_BROKERS'] || '127.0.0.1:9092';
const DATA = join(ROOT, 'libs/finetune/samples/financial-sentiment.jsonl');
const TRAIN_FLAGS = ['--task', 'classify', '--data', DATA, '--base', 'default', '--head', 'linear', '--epochs', '5', '--no-cache'];

interface Found { readonly key: string; readonly offset: string; readonly value: Record<string, unknown> }

/** Reads model.published from the beginning with a fresh group until a record matches. */
async function findPublished(match: (value: Record<string, unknown>, offset: string) => boolean, timeoutMs = 30_000): Promise<Found> {
  const kafka = createKafka({ clientId: 'trainer-publish-spec', brokers: BROKERS });
  const consumer = kafka.consumer({ groupId: `trainer-spec-${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: 'model.published', fromBeginning: true });
    return await new Promise<Found>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching model.published record within ${timeoutMs} ms`)), timeoutMs);
      void consumer.run({
        eachMessage: async ({ message }) => {
          const value = JSON.parse(message.value?.toString('utf8') ?? 'null') as Record<string, unknown> | null;
          if (value && match(value, message.offset)) {
            clearTimeout(timer);
            resolve({ key: message.key?.toString('utf8') ?? '', offset: message.offset, value });
          }
        },
      }).catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
}

const explain = (r: CliResult) => `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}\n(is Kafka up? bash tools/kafka/start.sh)`;

describe(`tuneline --publish against the real broker (${BROKERS})`, () => {
  const repo = mkdtempSync(join(tmpdir(), 'tuneline-publish-'));
  const name = `fin-publish-${randomUUID().slice(0, 8)}`;
  let summary: Record<string, unknown>;

  it('finetune --publish sends model.published keyed by model name, with path, file:// uri, sha256 of model.onnx and tokenizer.json, and labels', async () => {
    const r = await runCli(['finetune', ...TRAIN_FLAGS, '--out', repo, '--name', name, '--publish', '--brokers', BROKERS], { timeoutMs: 80_000 });
    if (r.code !== 0) throw new Error(explain(r));
    summary = jsonLines(r.stdout)[0] ?? {};
    const dir = String(summary['dir']);
    expect(summary['published']).toMatchObject({ topic: 'model.published', partition: 0, offset: expect.stringMatching(/^\d+$/) });

    const found = await findPublished((v) => v['path'] === dir);
    const sha256 = createHash('sha256').update(readFileSync(join(dir, 'model.onnx'))).digest('hex');
    const tokenizerSha256 = createHash('sha256').update(readFileSync(join(dir, 'tokenizer.json'))).digest('hex');
    expect(found.key).toBe(name);
    expect(found.offset).toBe((summary['published'] as { offset: string }).offset);
    expect(found.value).toEqual({
      model: name, version: '1', path: dir, uri: pathToFileURL(dir).href, sha256, tokenizerSha256, task: 'classification', labels: ['negative', 'neutral', 'positive'],
      metrics: { accuracy: summary['accuracy'], macroF1: summary['macroF1'] }, publishedAt: expect.any(String),
    });
    expect(Date.parse(String(found.value['publishedAt']))).not.toBeNaN();
  }, 90_000);

  it('tuneline publish re-sends the event for an existing model directory', async () => {
    const dir = String(summary['dir']);
    const r = await runCli(['publish', '--model', join(repo, name), '--brokers', BROKERS]);
    if (r.code !== 0) throw new Error(explain(r));
    const [out] = jsonLines(r.stdout);
    expect(out).toMatchObject({ topic: 'model.published', model: name, version: '1', path: dir });
    const found = await findPublished((v, offset) => v['path'] === dir && offset === out?.['offset']);
    expect(found.value['sha256']).toBe(out?.['sha256']);
  }, 60_000);
});
