import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createConsumerRunner,
  createEventProducer,
  createKafka,
  ensureTopics,
  KafkaAuthError,
  kafkaSecurityFromConfig,
  TOPICS,
  type ConsumedEvent,
  type KafkaSecurityConfig,
} from '../src';
import { samples } from './support/samples';
import { FAST_CONSUMER, uniqueName, waitFor } from './support/kafka';
import { startScramBroker, type ScramBroker } from './support/scram-broker';

// Starting the SCRAM broker takes ~10-25 s on a loaded 2-core machine; the tests ~15 s more
// (the untrusted-certificate case waits out KafkaJS's connection retries, ~7 s).
jest.setTimeout(60_000);

describe('SASL/SCRAM-SHA-512, in clear and over TLS, against a real broker', () => {
  let broker: ScramBroker;
  let starting: Promise<ScramBroker> | undefined;
  let secrets: string;

  // Longer than start.sh's own 120 s limit, so a slow start fails with its message. Should the
  // hook still time out, afterAll waits for the start and stops that broker: it must not outlive the run.
  beforeAll(async () => {
    secrets = mkdtempSync(join(tmpdir(), 'kafka-secrets-'));
    starting = startScramBroker({ broker: 'broker-secret', 'support-chat': 'chat-secret' });
    broker = await starting;
  }, 180_000);

  afterAll(async () => {
    await (broker ?? (await starting?.catch(() => undefined)))?.stop();
    rmSync(secrets, { recursive: true, force: true });
  }, 180_000);

  // The variables a service or CLI would get, password from a mounted secret file.
  function env(password: string): KafkaSecurityConfig {
    const file = join(secrets, `pw-${password}`);
    writeFileSync(file, `${password}\n`);
    return {
      KAFKA_SECURITY_PROTOCOL: 'sasl_plaintext',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'support-chat',
      KAFKA_SASL_PASSWORD_FILE: file,
    };
  }

  it('produces and consumes with the right credentials', async () => {
    const kafka = createKafka({ clientId: 'sasl-ok', brokers: broker.brokers, logLevel: 'nothing', ...kafkaSecurityFromConfig(env('chat-secret')) });
    const topic = { ...TOPICS.userEvents, name: uniqueName('sasl') };
    const groupId = uniqueName('sasl-group');
    await ensureTopics(kafka, [topic], { dlqGroups: [groupId] });
    const sent = [samples.userEvent('u-1', 'i-1'), samples.userEvent('u-2', 'i-2')];
    const producer = createEventProducer(kafka);
    const received: Array<ConsumedEvent<typeof topic>> = [];
    const runner = createConsumerRunner({
      kafka,
      groupId,
      topics: [topic],
      fromBeginning: true,
      consumer: FAST_CONSUMER,
      handler: async (event) => void received.push(event),
    });
    try {
      await producer.send(topic, sent);
      await runner.start();
      await waitFor(() => received.length >= sent.length, 30_000, () => `${sent.length} events (got ${received.length})`);
      expect(received.map((e) => e.value).sort((a, b) => a.userId.localeCompare(b.userId))).toEqual(sent);
    } finally {
      await runner.stop();
      await producer.disconnect();
    }
  });

  it('produces over SASL_SSL (the Strimzi tls listener set-up) when the cluster CA is given', async () => {
    const config = { ...env('chat-secret'), KAFKA_SECURITY_PROTOCOL: 'sasl_ssl', KAFKA_SSL_CA_FILE: broker.caFile };
    const kafka = createKafka({ clientId: 'sasl-ssl-ok', brokers: broker.tlsBrokers, logLevel: 'nothing', ...kafkaSecurityFromConfig(config) });
    const topic = { ...TOPICS.userEvents, name: uniqueName('sasl-ssl') };
    await ensureTopics(kafka, [topic]);
    const producer = createEventProducer(kafka);
    try {
      const [meta] = await producer.send(topic, [samples.userEvent('u-tls', 'i-tls')]);
      expect(meta?.errorCode).toBe(0);
    } finally {
      await producer.disconnect();
    }
  });

  it('refuses a broker certificate its CA does not sign (no KAFKA_SSL_CA_FILE: system trust store)', async () => {
    const config = { ...env('chat-secret'), KAFKA_SECURITY_PROTOCOL: 'sasl_ssl' };
    const producer = createEventProducer(createKafka({ clientId: 'sasl-ssl-untrusted', brokers: broker.tlsBrokers, logLevel: 'nothing', ...kafkaSecurityFromConfig(config) }));
    const err = await producer.connect().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaAuthError);
    expect(err).toMatchObject({ code: 'KAFKA_AUTH', retriable: false });
    expect((err as Error).message).toMatch(/TLS certificate is not trusted \(.*(unable to verify the first certificate|self[- ]signed certificate).*check KAFKA_SSL_CA_FILE/);
  });

  it('fails fast with a non-retriable KAFKA_AUTH error on a wrong password, for producers, admins and consumers', async () => {
    const kafka = createKafka({ clientId: 'sasl-bad', brokers: broker.brokers, logLevel: 'nothing', ...kafkaSecurityFromConfig(env('wrong-secret')) });
    const producer = createEventProducer(kafka);
    const started = Date.now();
    const producerError = await producer.connect().then(() => undefined, (err: unknown) => err);
    // KafkaJS's default retrier would take ~30 s over its 5 retries if it counted this as transient.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(producerError).toBeInstanceOf(KafkaAuthError);
    expect(producerError).toMatchObject({ code: 'KAFKA_AUTH', retriable: false });
    expect((producerError as Error).message).toMatch(/Kafka refused the SASL credentials \(SASL SCRAM SHA512 authentication failed/);

    await expect(ensureTopics(kafka, [TOPICS.userEvents])).rejects.toBeInstanceOf(KafkaAuthError);

    const runner = createConsumerRunner({
      kafka,
      groupId: uniqueName('sasl-bad-group'),
      topics: [TOPICS.userEvents],
      verifyTopics: false,
      consumer: FAST_CONSUMER,
      handler: async () => undefined,
    });
    await expect(runner.start()).rejects.toMatchObject({ code: 'KAFKA_AUTH', retriable: false });
    expect(runner.state).toBe('stopped');
  });
});
