/**
 * kubeconform in strict mode: core kinds against the Kubernetes 1.32 schemas
 * (kubernetes-validate), KEDA and Prometheus Operator kinds against deploy/schemas/ (CRDs of
 * the pinned releases). Strimzi kinds go to strimzi.ts. A kind with no schema is an error.
 */
import { join } from 'node:path';
import { bundledSchemaDir } from './k8s-schemas';
import { STRIMZI_KINDS } from './strimzi';
import type { K8sObject } from './render';
import { DEPLOY_DIR, run, toolPath } from './tools';

export interface Finding {
  readonly tool: string;
  readonly object: string;
  readonly message: string;
}

interface KubeconformResource { filename: string; kind: string; name: string; version: string; status: string; msg: string }

export function kubeconform(objects: readonly K8sObject[], yamlText: string): Finding[] {
  const k8s = bundledSchemaDir(objects);
  const result = run(toolPath('kubeconform'), [
    '-strict', '-output', 'json', '-skip', STRIMZI_KINDS.join(','),
    '-schema-location', join(k8s, '{{ .ResourceKind }}{{ .KindSuffix }}.json'),
    '-schema-location', join(DEPLOY_DIR, 'schemas', '{{ .Group }}', '{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json'),
    '-',
  ], yamlText);
  const parsed = JSON.parse(result.stdout || '{"resources":[]}') as { resources: KubeconformResource[] | null };
  const findings = (parsed.resources ?? [])
    .filter((r) => r.status !== 'statusValid' && r.status !== 'statusSkipped')
    .map((r) => ({ tool: 'kubeconform', object: `${r.kind}/${r.name}`, message: r.msg }));
  if (result.status !== 0 && findings.length === 0) findings.push({ tool: 'kubeconform', object: '-', message: result.stderr || result.stdout });
  return findings;
}
