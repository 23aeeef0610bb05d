/**
 * The rendered NetworkPolicies (default deny + per-workload rules) allow exactly the flows the
 * services use: Kafka, Redis, DNS, the ingress controller and Prometheus to the HTTP ports,
 * support-chat to the sentiment monitor's gRPC; and refuse flows nobody needs.
 */
import { allowed, type Flow, type Pod } from './network-policy';
import { workloads } from './pod-env';
import { OVERLAYS, parseObjects, renderOverlay } from './render';

describe.each(OVERLAYS)('overlay %s', (overlay) => {
  const objects = parseObjects(renderOverlay(overlay));
  const pod = (name: string): Pod => {
    const w = workloads(objects).find((x) => x.podLabels['app.kubernetes.io/name'] === name);
    if (!w) throw new Error(`no workload ${name}`);
    const ports = Object.fromEntries(w.pod.containers.flatMap((c) => (c.ports ?? []).flatMap((p) => (p.name ? [[p.name, p.containerPort]] : []))));
    return { namespace: 'tuneline', labels: w.podLabels, ports };
  };
  const broker: Pod = { namespace: 'tuneline', labels: { 'strimzi.io/cluster': 'tuneline', 'strimzi.io/kind': 'Kafka', 'strimzi.io/name': 'tuneline-kafka' } };
  const dns: Pod = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
  const outside = (namespace: string): Pod => ({ namespace, labels: { app: 'x' } });
  const services = ['support-chat', 'sentiment-monitor', 'recommender'];
  const HTTP = { 'support-chat': 8081, 'sentiment-monitor': 8082, recommender: 8083 } as Record<string, number>;
  const GRPC = { 'support-chat': 50061, 'sentiment-monitor': 50062, recommender: 50063 } as Record<string, number>;

  const needed: Array<[string, Flow]> = [
    ...[...services, 'trainer'].map((s): [string, Flow] => [`${s} -> Kafka 9093`, { from: pod(s), to: broker, port: 9093 }]),
    ...[...services, 'trainer', 'redis', 'model-fetch'].map((s): [string, Flow] => [`${s} -> DNS`, { from: pod(s), to: dns, port: 53, protocol: 'UDP' }]),
    ['support-chat -> Redis', { from: pod('support-chat'), to: pod('redis'), port: 6379 }],
    ['recommender -> Redis', { from: pod('recommender'), to: pod('redis'), port: 6379 }],
    ['support-chat -> sentiment-monitor gRPC', { from: pod('support-chat'), to: pod('sentiment-monitor'), port: 50062 }],
    ...services.map((s): [string, Flow] => [`ingress controller -> ${s} HTTP`, { from: outside('ingress-nginx'), to: pod(s), port: HTTP[s] as number }]),
    ...services.map((s): [string, Flow] => [`Prometheus -> ${s} /metrics`, { from: outside('monitoring'), to: pod(s), port: HTTP[s] as number }]),
    ['KEDA -> Kafka (consumer lag)', { from: outside('keda'), to: broker, port: 9093 }],
    ['model-fetch -> Maven Central', { from: pod('model-fetch'), to: undefined, port: 443 }],
  ];
  const forbidden: Array<[string, Flow]> = [
    ['recommender -> sentiment-monitor gRPC', { from: pod('recommender'), to: pod('sentiment-monitor'), port: 50062 }],
    ['sentiment-monitor -> Redis', { from: pod('sentiment-monitor'), to: pod('redis'), port: 6379 }],
    ['trainer -> Redis', { from: pod('trainer'), to: pod('redis'), port: 6379 }],
    ...services.map((s): [string, Flow] => [`ingress controller -> ${s} gRPC`, { from: outside('ingress-nginx'), to: pod(s), port: GRPC[s] as number }]),
    ...services.map((s): [string, Flow] => [`other namespace -> ${s} HTTP`, { from: outside('default'), to: pod(s), port: HTTP[s] as number }]),
    ['other namespace -> Kafka', { from: outside('default'), to: broker, port: 9093 }],
    ['support-chat -> the internet', { from: pod('support-chat'), to: undefined, port: 443 }],
    ['redis -> Kafka', { from: pod('redis'), to: broker, port: 9093 }],
  ];

  it.each(needed)('allows %s', (_name, flow) => expect(allowed(objects, flow)).toBe(true));
  it.each(forbidden)('refuses %s', (_name, flow) => expect(allowed(objects, flow)).toBe(false));
});

describe('overlay local: the web console', () => {
  const objects = parseObjects(renderOverlay('local'));
  const labelsOf = (name: string) => workloads(objects).find((w) => w.podLabels['app.kubernetes.io/name'] === name)?.podLabels ?? {};
  const pod = (name: string, ports: Record<string, number> = {}): Pod => ({ namespace: 'tuneline', labels: labelsOf(name), ports });
  const broker: Pod = { namespace: 'tuneline', labels: { 'strimzi.io/cluster': 'tuneline', 'strimzi.io/kind': 'Kafka' } };
  const GRPC: Array<[string, number]> = [['support-chat', 50061], ['sentiment-monitor', 50062], ['recommender', 50063]];

  it.each(GRPC)('allows console -> %s gRPC', (name, port) => {
    expect(allowed(objects, { from: pod('console'), to: pod(name, { grpc: port }), port })).toBe(true);
  });
  it('allows console -> Kafka and Prometheus -> console', () => {
    expect(allowed(objects, { from: pod('console'), to: broker, port: 9093 })).toBe(true);
    expect(allowed(objects, { from: { namespace: 'monitoring', labels: {} }, to: pod('console', { http: 8080 }), port: 8080 })).toBe(true);
  });
  it('refuses console -> Redis and console -> a service HTTP port', () => {
    expect(allowed(objects, { from: pod('console'), to: pod('redis'), port: 6379 })).toBe(false);
    expect(allowed(objects, { from: pod('console'), to: pod('recommender', { http: 8083 }), port: 8083 })).toBe(false);
  });
});
