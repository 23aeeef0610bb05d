/**
 * The environment a rendered pod's container would see: envFrom ConfigMaps/Secrets and env
 * entries (values, ConfigMap and Secret keys) resolved against the rendered objects.
 * A reference to an object that is not rendered (a Secret the cluster provides) resolves to
 * a placeholder, unless it is optional.
 */
import type { K8sObject } from './render';

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: Array<{ name: string; value?: string; valueFrom?: { configMapKeyRef?: KeyRef; secretKeyRef?: KeyRef } }>;
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { limits?: Record<string, unknown>; requests?: Record<string, unknown> };
  securityContext?: Record<string, unknown>;
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean; subPath?: string }>;
}
interface KeyRef { name: string; key: string; optional?: boolean }
export interface Probe { httpGet?: { path: string; port: number | string }; grpc?: { port: number }; tcpSocket?: { port: number | string }; exec?: unknown }

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  nodeSelector?: Record<string, string>;
  tolerations?: Array<Record<string, string>>;
  securityContext?: Record<string, unknown>;
  volumes?: Array<{ name: string; [key: string]: unknown }>;
  automountServiceAccountToken?: boolean;
}

export interface Workload {
  readonly object: K8sObject;
  readonly podLabels: Record<string, string>;
  readonly pod: PodSpec;
}

/** Deployments, StatefulSets, Jobs and CronJobs with their pod templates. */
export function workloads(objects: readonly K8sObject[]): Workload[] {
  return objects.flatMap((object) => {
    const spec = object.spec as { template?: Template; jobTemplate?: { spec: { template: Template } } } | undefined;
    const template = object.kind === 'CronJob' ? spec?.jobTemplate?.spec.template : spec?.template;
    return template ? [{ object, podLabels: template.metadata?.labels ?? {}, pod: template.spec }] : [];
  });
}
interface Template { metadata?: { labels?: Record<string, string> }; spec: PodSpec }

const SECRET_PLACEHOLDER = 'cluster-provided-secret-value';

function find(objects: readonly K8sObject[], kind: string, name: string): K8sObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata.name === name);
}

function dataOf(object: K8sObject | undefined): Record<string, string> | undefined {
  if (!object) return undefined;
  if (object.kind !== 'Secret') return object.data ?? {};
  const data = (object.data ?? {}) as Record<string, string>;
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

export function containerEnv(objects: readonly K8sObject[], container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef;
    const data = ref && dataOf(find(objects, source.configMapRef ? 'ConfigMap' : 'Secret', ref.name));
    if (!ref || !data) throw new Error(`${container.name}: envFrom ${JSON.stringify(source)} names no rendered object`);
    Object.assign(env, data);
  }
  for (const entry of container.env ?? []) {
    if (entry.value !== undefined) env[entry.name] = entry.value;
    const cm = entry.valueFrom?.configMapKeyRef;
    const secret = entry.valueFrom?.secretKeyRef;
    if (cm) {
      const value = dataOf(find(objects, 'ConfigMap', cm.name))?.[cm.key];
      if (value === undefined && !cm.optional) throw new Error(`${container.name}: ${entry.name} names ConfigMap ${cm.name} key ${cm.key}, not rendered`);
      if (value !== undefined) env[entry.name] = value;
    }
    if (secret) {
      const rendered = find(objects, 'Secret', secret.name);
      const value = rendered ? dataOf(rendered)?.[secret.key] : secret.optional ? undefined : SECRET_PLACEHOLDER;
      if (value !== undefined) env[entry.name] = value;
    }
  }
  return env;
}
