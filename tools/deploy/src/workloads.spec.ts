/**
 * Pod hardening in every overlay, and the gpu component in production: every GPU-labelled pod
 * (Deployments, Jobs, CronJobs) gets a GPU limit on its app container, tolerates the
 * nvidia.com/gpu taint and keeps its own nodeSelector entries; nothing else is touched.
 */
import { workloads, type Container, type Workload } from './pod-env';
import { OVERLAYS, parseObjects, renderDir, renderOverlay } from './render';
import { DEPLOY_DIR } from './tools';
import { join, relative } from 'node:path';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const id = (w: Workload) => `${w.object.kind}/${w.object.metadata.name}`;
const GPU_LABEL = 'tuneline.dev/accelerator';
const VERSION = (JSON.parse(readFileSync(join(DEPLOY_DIR, '..', 'package.json'), 'utf8')) as { version: string }).version;

describe.each(OVERLAYS)('overlay %s: every pod is hardened', (overlay) => {
  const all = workloads(parseObjects(renderOverlay(overlay)));

  it.each(all.map((w) => [id(w), w] as const))('%s', (_id, w) => {
    expect(w.pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(w.pod.automountServiceAccountToken).toBe(false);
    const containers: Container[] = [...(w.pod.initContainers ?? []), ...w.pod.containers];
    for (const c of containers) {
      expect([c.name, c.securityContext]).toEqual([c.name, expect.objectContaining({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } })]);
      expect([c.name, c.resources?.limits?.['memory'] !== undefined, c.resources?.requests?.['cpu'] !== undefined]).toEqual([c.name, true, true]);
    }
    // Tuneline images run `node main.js` and get a writable /tmp (emptyDir).
    const app = w.pod.containers.find((c) => c.image?.startsWith('ghcr.io/tuneline/'));
    if (app) {
      expect(app.command).toEqual(['node', 'main.js']);
      expect(app.volumeMounts?.find((m) => m.mountPath === '/tmp')).toBeDefined();
      // GPU pods in production run the ORT_GPU=1 image variant (tag suffix -gpu).
      const gpuImage = overlay === 'production' && w.podLabels[GPU_LABEL] === 'gpu';
      // Images are tagged with the repository's version (deploy/README.md "Images").
      expect(app.image?.split(':')[1]).toBe(gpuImage ? `${VERSION}-gpu` : VERSION);
    }
  });

  it('the GPU label is on pod templates as on their workloads (the component matches the workload label)', () => {
    for (const w of all) expect([id(w), w.podLabels[GPU_LABEL]]).toEqual([id(w), w.object.metadata.labels?.[GPU_LABEL]]);
  });
});

describe('gpu component', () => {
  const production = workloads(parseObjects(renderOverlay('production')));

  it('production: every GPU pod requests a GPU, tolerates the taint and lands on GPU nodes; other pods do not', () => {
    const gpu = production.filter((w) => w.podLabels[GPU_LABEL] === 'gpu');
    expect(gpu.map(id).sort()).toEqual(['CronJob/trainer-support-intent', 'Deployment/recommender', 'Deployment/sentiment-monitor', 'Deployment/support-chat', 'Job/trainer-support-intent']);
    for (const w of gpu) {
      for (const c of w.pod.containers) expect([id(w), c.name, c.resources?.limits?.['nvidia.com/gpu']]).toEqual([id(w), c.name, 1]);
      expect(w.pod.tolerations).toContainEqual({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' });
      expect(w.pod.nodeSelector).toMatchObject({ 'nvidia.com/gpu.present': 'true' });
    }
    for (const w of production.filter((x) => x.podLabels[GPU_LABEL] !== 'gpu')) {
      expect([id(w), w.pod.containers.some((c) => c.resources?.limits?.['nvidia.com/gpu'] !== undefined)]).toEqual([id(w), false]);
    }
  });

  it('no GPU-labelled workload has tolerations of its own (the component\'s list would replace them: strategic merge has no merge key for tolerations)', () => {
    const withoutComponent = workloads(parseObjects(renderOverlay('local'))).filter((w) => w.podLabels[GPU_LABEL] === 'gpu');
    expect(withoutComponent.length).toBeGreaterThan(0);
    for (const w of withoutComponent) expect([id(w), w.pod.tolerations]).toEqual([id(w), undefined]);
  });

  it('adds limits to a container without any and keeps an existing nodeSelector entry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpu-component-'));
    writeFileSync(join(dir, 'pod.yaml'), [
      'apiVersion: batch/v1', 'kind: Job', 'metadata: { name: j, labels: { tuneline.dev/accelerator: gpu } }', 'spec:', '  template:',
      '    metadata: { labels: { tuneline.dev/accelerator: gpu } }', '    spec:', '      restartPolicy: Never',
      '      nodeSelector: { pool: ml }', '      containers:', '        - { name: app, image: "x:1" }', '',
    ].join('\n'));
    writeFileSync(join(dir, 'kustomization.yaml'), `resources: [pod.yaml]\ncomponents: [${relative(dir, join(DEPLOY_DIR, 'components', 'gpu'))}]\n`);
    const [job] = workloads(parseObjects(renderDir(dir)));
    expect(job?.pod.nodeSelector).toEqual({ pool: 'ml', 'nvidia.com/gpu.present': 'true' });
    expect(job?.pod.containers[0]?.resources?.limits).toEqual({ 'nvidia.com/gpu': 1 });
  });
});
