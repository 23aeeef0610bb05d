/**
 * Both overlays render and pass every check: Kubernetes 1.32 schemas (strict), the KEDA and
 * Prometheus Operator CRD schemas, Strimzi v1beta2 schemas and kube-score (no unexplained
 * CRITICAL). And each check does fail on a broken manifest.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatFindings, validateManifests } from './validate';
import { OVERLAYS, renderOverlay } from './render';
import { DEPLOY_DIR } from './tools';

it('checks every overlay in deploy/overlays (a new one must join OVERLAYS)', () => {
  expect(readdirSync(join(DEPLOY_DIR, 'overlays')).sort()).toEqual([...OVERLAYS].sort());
});

describe.each(OVERLAYS)('overlay %s', (overlay) => {
  it('renders and passes kubeconform, the Strimzi schemas and kube-score', () => {
    const findings = validateManifests(renderOverlay(overlay));
    expect(formatFindings(findings)).toBe('');
  });
});

describe('a broken manifest fails validation', () => {
  const production = renderOverlay('production');

  it('a misspelt Deployment field (strict Kubernetes schema)', () => {
    const broken = production.replace('revisionHistoryLimit: 5', 'revisionHistoryLimt: 5');
    expect(broken).not.toBe(production);
    const findings = validateManifests(broken);
    expect(findings.some((f) => f.tool === 'kubeconform' && /^Deployment\//.test(f.object) && /revisionHistoryLimt/.test(f.message))).toBe(true);
  });

  it('a KafkaTopic whose partitions are not a number (Strimzi schema)', () => {
    const broken = production.replace(/partitions: 12\n/, 'partitions: twelve\n');
    expect(broken).not.toBe(production);
    const findings = validateManifests(broken);
    expect(findings).toContainEqual(expect.objectContaining({ tool: 'strimzi', object: 'KafkaTopic/user-events', message: expect.stringContaining('partitions') }));
  });

  it('a misspelt Kafka field (Strimzi types: the CRD schema allows unknown fields)', () => {
    const broken = production.replace('metadataVersion: 3.9-IV0', 'metadataVersoin: 3.9-IV0');
    expect(broken).not.toBe(production);
    const findings = validateManifests(broken);
    expect(findings).toContainEqual(expect.objectContaining({ tool: 'strimzi', object: 'Kafka/tuneline', message: expect.stringContaining('metadataVersoin') }));
  });

  it('a ScaledObject with an unknown field (KEDA CRD schema)', () => {
    const broken = production.replace('cooldownPeriod: 300', 'cooldownPeriod: 300\n  maxReplicas: 6');
    const findings = validateManifests(broken);
    expect(findings).toContainEqual(expect.objectContaining({ tool: 'kubeconform', object: 'ScaledObject/sentiment-monitor' }));
  });

  it('a container without a securityContext and probes (kube-score CRITICAL)', () => {
    const pod = [
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata: { name: bare, namespace: tuneline }',
      'spec:', '  selector: { matchLabels: { app: bare } }', '  template:', '    metadata: { labels: { app: bare } }',
      '    spec:', '      containers:', '        - { name: app, image: "example/bare:1.0" }', '',
    ].join('\n');
    const findings = validateManifests(pod);
    expect(findings.filter((f) => f.tool === 'kube-score').map((f) => f.message.split(':')[0])).toEqual(
      expect.arrayContaining(['container-security-context-readonlyrootfilesystem', 'container-resources']),
    );
  });
});
