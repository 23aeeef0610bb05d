/**
 * @tuneline/sentiment is transport-free (docs/platform.md: libs do not import the
 * platform): loading its public API must not pull in NestJS, gRPC, Kafka or Redis clients,
 * libs/events (the record types it reads are type-only imports), the platform, nor the
 * native model runtimes of libs/inference and libs/finetune. apps/sentiment-monitor brings
 * those.
 *
 * Checked in a fresh Node process (ts-node + tsconfig-paths, as an app would resolve the
 * lib), because jest's own module registry does not fill `require.cache`.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const FORBIDDEN =
  /node_modules[\\/](@nestjs|@grpc|onnxruntime-node|onnx-proto|@resvg|ioredis|kafkajs)[\\/]|libs[\\/](platform|finetune|events|inference)[\\/]/;

function modulesLoadedBy(entry: string): string[] {
  const script = `require(${JSON.stringify(entry)}); process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'libs/sentiment/tsconfig.json'), TS_NODE_TRANSPILE_ONLY: '1' },
    encoding: 'utf8',
  });
  return JSON.parse(out) as string[];
}

describe('transport-free', () => {
  it.each([
    ['index', join(ROOT, 'libs/sentiment/src/index.ts')],
    ['testing', join(ROOT, 'libs/sentiment/src/testing.ts')],
  ])('requiring the %s entry loads no NestJS, gRPC, Kafka, Redis, platform, events or model-runtime module', (_name, entry) => {
    const loaded = modulesLoadedBy(entry);
    expect(loaded).toContain(entry); // the probe sees the lib's own modules
    expect(loaded.filter((m) => FORBIDDEN.test(m))).toEqual([]);
  }, 60_000);
});
