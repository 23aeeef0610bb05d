/** Strimzi objects against the v1beta2 CRD schemas (strimzi-validate.mjs) and, for unknown fields, their types (strimzi-types.ts). */
import { join } from 'node:path';
import type { Finding } from './kubeconform';
import type { K8sObject } from './render';
import { strimziTypeFindings } from './strimzi-types';
import { run } from './tools';

export const STRIMZI_KINDS = ['Kafka', 'KafkaNodePool', 'KafkaTopic', 'KafkaUser'] as const;

export function strimziFindings(objects: readonly K8sObject[]): Finding[] {
  const strimzi = objects.filter((o) => o.apiVersion.startsWith('kafka.strimzi.io/') || (STRIMZI_KINDS as readonly string[]).includes(o.kind));
  if (strimzi.length === 0) return [];
  const result = run(process.execPath, [join(__dirname, 'strimzi-validate.mjs')], JSON.stringify(strimzi));
  if (result.status !== 0) return [{ tool: 'strimzi', object: '-', message: result.stderr }];
  const schema = (JSON.parse(result.stdout) as Array<{ object: string; message: string }>).map((f) => ({ tool: 'strimzi', ...f }));
  // Type-check only what the schemas accept (a wrong kind or apiVersion has no interface to check against).
  const failed = new Set(schema.map((f) => f.object));
  return [...schema, ...strimziTypeFindings(strimzi.filter((o) => !failed.has(`${o.kind}/${o.metadata.name}`)))];
}
