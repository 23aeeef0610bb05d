import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ALL_TOPICS } from '@tuneline/events';

const DEPLOY = resolve(__dirname, '../../deploy');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(f) ? [p] : [];
  });
}

describe('deploy/ manifests', () => {
  const files = yamlFiles(DEPLOY);

  it('every YAML document parses and names its kind', () => {
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      for (const doc of parseAllDocuments(readFileSync(f, 'utf8'))) {
        expect(doc.errors).toEqual([]);
        const value = doc.toJS() as { kind?: string } | null;
        if (value) expect(typeof value.kind === 'string' || f.endsWith('kustomization.yaml')).toBe(true);
      }
    }
  });

  it('every kustomization reference exists', () => {
    for (const f of files.filter((p) => p.endsWith('kustomization.yaml'))) {
      const k = parseAllDocuments(readFileSync(f, 'utf8'))[0]?.toJS() as { resources?: string[]; components?: string[] };
      for (const ref of [...(k.resources ?? []), ...(k.components ?? [])]) {
        expect([f, ref, existsSync(join(dirname(f), ref))]).toEqual([f, ref, true]);
      }
    }
  });

  // The expectations come from libs/events's registry, so a topic added there but not here
  // (or with other partitions or topic config) fails.
  describe('base/topics.yaml mirrors the libs/events topic registry', () => {
    interface KafkaTopic { kind: string; spec: { topicName: string; partitions: number; replicas: number; config?: Record<string, unknown> } }
    const declared = parseAllDocuments(readFileSync(join(DEPLOY, 'base/topics.yaml'), 'utf8'))
      .map((d) => d.toJS() as KafkaTopic | null)
      .filter((d): d is KafkaTopic => d !== null);
    const byName = new Map(declared.map((d) => [d.spec.topicName, d]));

    it('declares exactly the registry\'s topics, once each, as Strimzi KafkaTopics', () => {
      expect(declared.map((d) => d.kind)).toEqual(declared.map(() => 'KafkaTopic'));
      expect(declared.map((d) => d.spec.topicName).sort()).toEqual(ALL_TOPICS.map((t) => t.name).sort());
      expect(byName.size).toBe(declared.length);
    });

    it.each(ALL_TOPICS.map((t) => [t.name, t] as const))('%s: partitions and topic config as registered', (name, topic) => {
      const spec = byName.get(name)?.spec;
      expect(spec?.partitions).toBe(topic.partitions);
      // Broker config values are strings in the registry; YAML may write them as numbers.
      const config = Object.fromEntries(Object.entries(spec?.config ?? {}).map(([k, v]) => [k, String(v)]));
      for (const [key, value] of Object.entries(topic.config ?? {})) expect([name, key, config[key]]).toEqual([name, key, value]);
    });
  });

  it('keeps auth off locally and on in production', () => {
    const local = readFileSync(join(DEPLOY, 'base/kustomization.yaml'), 'utf8');
    const prod = readFileSync(join(DEPLOY, 'overlays/production/kustomization.yaml'), 'utf8');
    expect(local).toMatch(/AUTH_MODE=off/);
    expect(prod).toMatch(/AUTH_MODE=api-key/);
  });
});
