import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

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

  it('declares every platform topic as a Strimzi KafkaTopic', () => {
    const docs = parseAllDocuments(readFileSync(join(DEPLOY, 'base/topics.yaml'), 'utf8')).map((d) => d.toJS() as { spec: { topicName: string } } | null);
    const names = docs.filter(Boolean).map((d) => d?.spec.topicName);
    expect(names.sort()).toEqual(['model.published', 'news.raw', 'sentiment.alerts', 'sentiment.scored', 'support.conversations', 'user.events']);
  });

  it('keeps auth off locally and on in production', () => {
    const local = readFileSync(join(DEPLOY, 'base/kustomization.yaml'), 'utf8');
    const prod = readFileSync(join(DEPLOY, 'overlays/production/kustomization.yaml'), 'utf8');
    expect(local).toMatch(/AUTH_MODE=off/);
    expect(prod).toMatch(/AUTH_MODE=api-key/);
  });
});
