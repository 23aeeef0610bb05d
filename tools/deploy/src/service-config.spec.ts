/**
 * Each service's rendered environment, in every overlay, against the service's own zod config
 * schema (apps/<app>/src/config.ts over libs/platform and libs/inference): every variable the
 * manifests set is one the schema knows, the whole environment parses (every required one set,
 * every value valid), and the probes and Service ports are the ports that config serves on.
 */
import { z } from 'zod';
import { kafkaSecurityIssues, type KafkaSecurityConfig } from '@tuneline/events';
import { findCatalogEntry } from '@tuneline/inference';
import { loadConfig } from '@tuneline/platform';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the manifests must parse with each app's own schema, not a copy of it
import { supportChatConfigSchema } from '../../../apps/support-chat/src/config';
// eslint-disable-next-line @nx/enforce-module-boundaries -- as above
import { sentimentMonitorConfigSchema } from '../../../apps/sentiment-monitor/src/config';
// eslint-disable-next-line @nx/enforce-module-boundaries -- as above
import { recommenderConfigSchema } from '../../../apps/recommender/src/config';
// eslint-disable-next-line @nx/enforce-module-boundaries -- as above
import { loadTrainerConfig } from '../../../apps/trainer/src/config';
// eslint-disable-next-line @nx/enforce-module-boundaries -- as above
import { consoleConfigSchema } from '../../../apps/console/src/config';
import { clusterEntries } from './model-plan';
import { containerEnv, workloads, type Container } from './pod-env';
import { OVERLAYS, parseObjects, renderOverlay, type K8sObject } from './render';

const SERVICES = {
  'support-chat': supportChatConfigSchema,
  'sentiment-monitor': sentimentMonitorConfigSchema,
  recommender: recommenderConfigSchema,
} as const;

/** The variables a schema reads: an object's keys, through superRefine/pipe wrappers. */
function schemaKeys(schema: z.ZodType): string[] {
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (schema instanceof z.ZodPipe) return schemaKeys(schema.in as z.ZodType);
  throw new TypeError('expected a zod object schema (or a pipe from one)');
}

function unknownVariables(schema: z.ZodType, env: Record<string, string>): string[] {
  const known = new Set(schemaKeys(schema));
  return Object.keys(env).filter((k) => !known.has(k));
}

function appContainer(objects: readonly K8sObject[], kind: string, name: string): Container {
  const workload = workloads(objects).find((w) => w.object.kind === kind && w.object.metadata.name === name);
  const container = workload?.pod.containers.find((c) => c.name === 'app');
  if (!container) throw new Error(`${kind}/${name} has no app container`);
  return container;
}

/** The trainer reads KAFKA_BROKERS, TUNELINE_CACHE, TUNELINE_DEBUG and the Kafka security variables from process.env. */
const TRAINER_VARS = ['KAFKA_BROKERS', 'TUNELINE_CACHE', 'TUNELINE_DEBUG'];
const KAFKA_SECURITY_VARS: ReadonlyArray<keyof KafkaSecurityConfig> = [
  'KAFKA_SECURITY_PROTOCOL', 'KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SASL_PASSWORD_FILE',
  'KAFKA_SSL_CA_FILE', 'KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE',
];

describe.each(OVERLAYS)('overlay %s', (overlay) => {
  const objects = parseObjects(renderOverlay(overlay));

  describe.each(Object.entries(SERVICES))('%s', (name, schema) => {
    const container = appContainer(objects, 'Deployment', name);
    const env = containerEnv(objects, container);

    it('sets only variables its config schema knows', () => {
      expect(unknownVariables(schema, env)).toEqual([]);
      // The check itself: a misspelt variable is reported.
      expect(unknownVariables(schema, { ...env, TUNELINE_MODLE: 'default' })).toEqual(['TUNELINE_MODLE']);
    });

    it('sets every required variable, each valid (the config parses)', () => {
      const config = loadConfig(schema, env);
      expect(config.SERVICE_NAME).toBe(name);
    });

    it('names only base encoders the model-fetch Job fetches (the init container waits for no other)', () => {
      // Unset variables fall back to TUNELINE_MODEL; the other names are encoders a head is trained on.
      const names = ['TUNELINE_MODEL', 'SENTIMENT_BASE_MODEL', 'SUPPORT_INTENT_BASE_MODEL'].flatMap((v) => {
        const n = (loadConfig(schema, env) as Record<string, unknown>)[v];
        return typeof n === 'string' ? [n] : [];
      });
      expect(names.length).toBeGreaterThan(0);
      const fetched = clusterEntries().map((e) => e.name);
      for (const n of names) expect([n, fetched.includes(findCatalogEntry(n)?.name ?? '')]).toEqual([n, true]);
    });

    it('probes /readyz and /healthz on the HTTP port and grpc.health.v1 on the gRPC port the config serves', () => {
      const config = loadConfig(schema, env);
      const port = (portName: string) => container.ports?.find((p) => p.name === portName)?.containerPort;
      expect(port('http')).toBe(config.HTTP_PORT);
      expect(port('grpc')).toBe(config.GRPC_PORT);
      expect(container.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(container.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(container.startupProbe?.grpc?.port).toBe(config.GRPC_PORT);
      const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === name);
      const servicePorts = (service?.spec?.['ports'] ?? []) as Array<{ name: string; port: number; targetPort: string }>;
      expect(servicePorts.map((p) => [p.name, p.port, p.targetPort])).toEqual([['http', config.HTTP_PORT, 'http'], ['grpc', config.GRPC_PORT, 'grpc']]);
    });
  });

  it.each(['Job', 'CronJob'])('trainer %s: its variables are ones it reads, and they parse', (kind) => {
    const env = containerEnv(objects, appContainer(objects, kind, 'trainer-support-intent'));
    const known = new Set<string>([...TRAINER_VARS, ...KAFKA_SECURITY_VARS]);
    expect(Object.keys(env).filter((k) => !known.has(k))).toEqual([]);
    expect(loadTrainerConfig(env).brokers).toBe(env['KAFKA_BROKERS']);
    expect(kafkaSecurityIssues(env)).toEqual([]);
  });

  it('support-chat reaches the sentiment monitor at its Service and gRPC port', () => {
    const env = containerEnv(objects, appContainer(objects, 'Deployment', 'support-chat'));
    const sentiment = loadConfig(sentimentMonitorConfigSchema, containerEnv(objects, appContainer(objects, 'Deployment', 'sentiment-monitor')));
    expect(env['SUPPORT_SENTIMENT_GRPC_ADDR']).toBe(`sentiment-monitor:${sentiment.GRPC_PORT}`);
  });
});

it('production turns API-key auth on with keys long enough for the platform schema', () => {
  const objects = parseObjects(renderOverlay('production'));
  const env = containerEnv(objects, appContainer(objects, 'Deployment', 'recommender'));
  const config = loadConfig(recommenderConfigSchema, env);
  expect(config.AUTH_MODE).toBe('api-key');
  expect(config.AUTH_API_KEYS.length).toBeGreaterThan(0);
  const auth = objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'tuneline-auth');
  expect(auth?.metadata.namespace).toBe('tuneline');
});

describe('console (local overlay only: it sends no API key, production services require one)', () => {
  const objects = parseObjects(renderOverlay('local'));

  it('console: only variables its schema knows, it parses, probes its HTTP port, targets each service\'s gRPC port', () => {
    const container = appContainer(objects, 'Deployment', 'console');
    const env = containerEnv(objects, container);
    const known = new Set(schemaKeys(consoleConfigSchema));
    expect(Object.keys(env).filter((k) => !known.has(k))).toEqual([]);
    const config = loadConfig(consoleConfigSchema, env);
    expect(container.ports?.find((p) => p.name === 'http')?.containerPort).toBe(config.HTTP_PORT);
    expect(container.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    const grpcOf = (name: keyof typeof SERVICES) => loadConfig(SERVICES[name], containerEnv(objects, appContainer(objects, 'Deployment', name))).GRPC_PORT;
    expect([config.SUPPORT_CHAT_GRPC_URL, config.SENTIMENT_GRPC_URL, config.RECOMMENDER_GRPC_URL]).toEqual([
      `support-chat:${grpcOf('support-chat')}`, `sentiment-monitor:${grpcOf('sentiment-monitor')}`, `recommender:${grpcOf('recommender')}`,
    ]);
  });


  it('is not deployed in production', () => {
    const production = parseObjects(renderOverlay('production'));
    expect(production.filter((o) => o.metadata.name === 'console').map((o) => o.kind)).toEqual([]);
  });
});
