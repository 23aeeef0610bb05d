import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

// A throwaway SCRAM-SHA-512 broker for the security spec: SASL_PLAINTEXT on one port and
// SASL_SSL on another, with a CA and broker certificate made by openssl for the run. The test
// command runs a PLAINTEXT broker only, so the spec starts this one itself (tools/kafka/start.sh
// with KAFKA_SCRAM_USERS and KAFKA_TLS_PORT) on free ports in a temp dir, and stops and deletes
// it afterwards.

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../../../..');

export interface ScramBroker {
  /** SASL_PLAINTEXT listener. */
  readonly brokers: string;
  /** SASL_SSL listener; its certificate is signed by `caFile` for 127.0.0.1. */
  readonly tlsBrokers: string;
  readonly caFile: string;
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

/** A CA, and a broker key store signed by it: the PKCS#8 key encrypted with PBE-SHA1-3DES (Java 17 reads no PBES2), then the certificate. */
async function makeCertificates(dir: string, keyPassword: string): Promise<{ caFile: string; keystore: string }> {
  const ssl = (...args: string[]) => run('openssl', args, { cwd: dir, timeout: 30_000 });
  const days = ['-days', '2'];
  await ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', ...days, '-subj', '/CN=tuneline-test-ca');
  await ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'broker.key', '-out', 'broker.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await ssl('x509', '-req', '-in', 'broker.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'broker.crt', ...days, '-extfile', 'san.cnf');
  await ssl('pkcs8', '-topk8', '-v1', 'PBE-SHA1-3DES', '-in', 'broker.key', '-out', 'broker.p8', '-passout', `pass:${keyPassword}`);
  const keystore = join(dir, 'keystore.pem');
  writeFileSync(keystore, readFileSync(join(dir, 'broker.p8'), 'utf8') + readFileSync(join(dir, 'broker.crt'), 'utf8'));
  return { caFile: join(dir, 'ca.crt'), keystore };
}

export async function startScramBroker(users: Readonly<Record<string, string>>): Promise<ScramBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-scram-'));
  const [port, controllerPort, tlsPort] = [await freePort(), await freePort(), await freePort()];
  const keyPassword = 'test-key-password';
  const { caFile, keystore } = await makeCertificates(dir, keyPassword).catch((err: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`making test certificates with openssl failed (is openssl installed?): ${String(err)}`);
  });
  const env = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    KAFKA_DIR: dir,
    KAFKA_PID_FILE: join(dir, 'kafka.pid'),
    KAFKA_REUSE: 'false',
    KAFKA_TLS_PORT: String(tlsPort),
    KAFKA_TLS_KEYSTORE: keystore,
    KAFKA_TLS_KEY_PASSWORD: keyPassword,
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
  return { brokers: `127.0.0.1:${port}`, tlsBrokers: `127.0.0.1:${tlsPort}`, caFile, users, stop };
}
