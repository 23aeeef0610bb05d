// Exits 0 once the broker answers a metadata request, 1 after the timeout.
// usage: node probe.mjs <brokers> <timeoutMs>
// KAFKA_PROBE_SASL=mechanism:user:password logs in over SASL_PLAINTEXT (start.sh sets it for
// a KAFKA_SCRAM_USERS broker).
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { Kafka, logLevel } = require('kafkajs');

const [brokers = '127.0.0.1:9092', timeoutArg = '60000'] = process.argv.slice(2);
const deadline = Date.now() + Number(timeoutArg);
const [mechanism, username, password] = (process.env.KAFKA_PROBE_SASL ?? '').split(':');
const sasl = mechanism ? { sasl: { mechanism, username, password } } : {};
const kafka = new Kafka({ clientId: 'tuneline-probe', brokers: brokers.split(','), logLevel: logLevel.NOTHING,
  retry: { retries: 0 }, connectionTimeout: 1000, ...sasl });

while (Date.now() < deadline) {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    await admin.fetchTopicMetadata({ topics: [] });
    console.log(JSON.stringify({ brokers: cluster.brokers.length, controller: cluster.controller }));
    await admin.disconnect();
    process.exit(0);
  } catch {
    await admin.disconnect().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
  }
}
process.exit(1);
