import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

// A throwaway SASL_PLAINTEXT / SCRAM-SHA-512 broker for the security spec. The test command
// runs a PLAINTEXT broker only, so the spec starts this one itself (tools/kafka/start.sh with
// KAFKA_SCRAM_USERS) on free ports in a temp dir, and stops and deletes it afterwards.

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../../../..');

export interface ScramBroker {
  readonly brokers: string;
  /** Users created at format time: name -> password. */
  readonly users: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startScramBroker(users: Readonly<Record<string, string>>): Promise<ScramBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-scram-'));
  const [port, controllerPort] = [await freePort(), await freePort()];
  const env = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    KAFKA_DIR: dir,
    KAFKA_PID_FILE: join(dir, 'kafka.pid'),
    KAFKA_REUSE: 'false',
    KAFKA_SCRAM_USERS: Object.entries(users).map(([name, password]) => `${name}=${password}`).join(','),
  };
  const script = (name: string) => run('bash', [join(ROOT, 'tools/kafka', name)], { env, cwd: ROOT, timeout: 120_000 });
  const stop = async () => {
    await script('stop.sh').catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await script('start.sh');
  } catch (err) {
    await stop();
    throw err;
  }
  return { brokers: `127.0.0.1:${port}`, users, stop };
}
