/**
 * A small NetworkPolicy evaluator (the Kubernetes semantics the manifests use: pod and
 * namespace selectors with matchLabels/matchExpressions, named and numbered ports, rules
 * without peers or ports), to check that the rendered policies allow each flow the services
 * use and nothing the checks name as forbidden. Strimzi writes the brokers' ingress policies
 * from the listener's networkPolicyPeers, so those peers stand in for them.
 */
import type { K8sObject } from './render';

export interface Pod {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Named container ports, to resolve `port: http` in a policy. */
  readonly ports?: Readonly<Record<string, number>>;
}

export interface Flow {
  readonly from: Pod;
  /** Undefined: an address outside the cluster. */
  readonly to: Pod | undefined;
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP';
}

interface Selector { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> }
interface Peer { podSelector?: Selector; namespaceSelector?: Selector; ipBlock?: { cidr: string } }
interface Rule { from?: Peer[]; to?: Peer[]; ports?: Array<{ port?: number | string; protocol?: string }> }
interface PolicySpec { podSelector: Selector; policyTypes?: string[]; ingress?: Rule[]; egress?: Rule[] }

export function selects(selector: Selector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    const inValues = has && (e.values ?? []).includes(labels[e.key] as string);
    const ok = e.operator === 'In' ? inValues : e.operator === 'NotIn' ? !inValues : e.operator === 'Exists' ? has : !has;
    if (!ok) return false;
  }
  return true;
}

const namespaceLabels = (ns: string) => ({ 'kubernetes.io/metadata.name': ns });

function peerMatches(peer: Peer, pod: Pod | undefined, policyNamespace: string): boolean {
  if (peer.ipBlock) return pod === undefined;
  if (!pod) return false;
  if (peer.namespaceSelector) {
    return selects(peer.namespaceSelector, namespaceLabels(pod.namespace)) && selects(peer.podSelector, pod.labels);
  }
  return pod.namespace === policyNamespace && selects(peer.podSelector, pod.labels);
}

function portMatches(rule: Rule, port: number, protocol: string, target: Pod | undefined): boolean {
  if (!rule.ports || rule.ports.length === 0) return true;
  return rule.ports.some((p) => (p.protocol ?? 'TCP') === protocol && (p.port === undefined || p.port === port || (typeof p.port === 'string' && target?.ports?.[p.port] === port)));
}

function side(policies: readonly K8sObject[], pod: Pod, direction: 'Ingress' | 'Egress', peer: Pod | undefined, port: number, protocol: string, target: Pod | undefined): boolean {
  const applying = policies.filter((p) => {
    const spec = p.spec as unknown as PolicySpec;
    return (p.metadata.namespace ?? pod.namespace) === pod.namespace && selects(spec.podSelector, pod.labels) && (spec.policyTypes ?? ['Ingress']).includes(direction);
  });
  if (applying.length === 0) return true;
  return applying.some((p) => {
    const spec = p.spec as unknown as PolicySpec;
    const rules = (direction === 'Ingress' ? spec.ingress : spec.egress) ?? [];
    return rules.some((r) => {
      const peers = direction === 'Ingress' ? r.from : r.to;
      return (!peers || peers.length === 0 || peers.some((x) => peerMatches(x, peer, pod.namespace))) && portMatches(r, port, protocol, target);
    });
  });
}

/** Strimzi brokers: a listener admits its networkPolicyPeers on its port. */
function brokerIngress(objects: readonly K8sObject[], from: Pod, port: number): boolean {
  const kafka = objects.find((o) => o.kind === 'Kafka')?.spec as { kafka: { listeners: Array<{ port: number; networkPolicyPeers?: Peer[] }> } } | undefined;
  const listener = kafka?.kafka.listeners.find((l) => l.port === port);
  if (!listener) return false;
  const peers = listener.networkPolicyPeers ?? [];
  return peers.length === 0 || peers.some((p) => peerMatches(p, from, 'tuneline'));
}

export function allowed(objects: readonly K8sObject[], flow: Flow): boolean {
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  const protocol = flow.protocol ?? 'TCP';
  const egress = side(policies, flow.from, 'Egress', flow.to, flow.port, protocol, flow.to);
  if (!flow.to) return egress;
  const isBroker = flow.to.labels['strimzi.io/kind'] === 'Kafka';
  const ingress = isBroker ? brokerIngress(objects, flow.from, flow.port) : side(policies, flow.to, 'Ingress', flow.from, flow.port, protocol, flow.to);
  return egress && ingress;
}
