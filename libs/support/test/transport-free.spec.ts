/**
 * @tuneline/support is transport-free (docs/platform.md: libs do not import the
 * platform): loading its public API must not pull in NestJS, gRPC or the platform,
 * nor the native training/runtime modules (ONNX Runtime, resvg) of libs/finetune, nor
 * ioredis (RedisSessionStore takes the app's client; its import is type-only), nor
 * kafkajs or libs/events (the event mappers import its types only).
 *
 * Checked in a fresh Node process (ts-node + tsconfig-paths, as an app would resolve
 * the lib), because jest's own module registry does not fill `require.cache`.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const FORBIDDEN = /node_modules[\\/](@nestjs|@grpc|onnxruntime-node|onnx-proto|@resvg|ioredis|kafkajs)[\\/]|libs[\\/](platform|finetune|events)[\\/]/;

function modulesLoadedBy(entry: string): string[] {
  const script = `require(${JSON.stringify(entry)}); process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'libs/support/tsconfig.json'), TS_NODE_TRANSPILE_ONLY: '1' },
    encoding: 'utf8',
  });
  return JSON.parse(out) as string[];
}

describe('transport-free', () => {
  it.each([
    ['index', join(ROOT, 'libs/support/src/index.ts')],
    ['testing', join(ROOT, 'libs/support/src/testing.ts')],
  ])('requiring the %s entry loads no NestJS, gRPC, Redis client, Kafka, platform or finetune module', (_name, entry) => {
    const loaded = modulesLoadedBy(entry);
    expect(loaded).toContain(entry); // the probe sees the lib's own modules
    expect(loaded.filter((m) => FORBIDDEN.test(m))).toEqual([]);
  }, 60_000);
});
