/**
 * kubernetes-validate's schemas refer to one shared `/api/_definitions.json`, which kubeconform
 * cannot load. For each kind we validate, this writes a self-contained copy (the kind's
 * schema plus the definitions it reaches) under .cache/deploy-schemas/, in kubeconform's
 * {{ .ResourceKind }}{{ .KindSuffix }}.json layout. Cached: a kind is bundled once.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE, KUBERNETES_VERSION, kubernetesSchemaDir } from './tools';

const REF = /"\$ref":\s*"(?:\/api\/_definitions\.json)?#\/\$defs\/([^"]+)"/g;

/** kubeconform's file name for a kind: deployment-apps-v1.json, namespace-v1.json. */
export function schemaFileName(apiVersion: string, kind: string): string {
  const [groupOrVersion, version] = apiVersion.split('/');
  const suffix = version ? `-${(groupOrVersion ?? '').split('.')[0]}-${version}` : `-${groupOrVersion}`;
  return `${kind.toLowerCase()}${suffix.toLowerCase()}.json`;
}

let definitions: Record<string, unknown> | undefined;

export function bundledSchemaDir(types: ReadonlyArray<{ apiVersion: string; kind: string }>): string {
  const source = kubernetesSchemaDir();
  const out = join(CACHE, 'deploy-schemas', `v${KUBERNETES_VERSION}-strict`);
  mkdirSync(out, { recursive: true });
  for (const { apiVersion, kind } of types) {
    const name = schemaFileName(apiVersion, kind);
    if (existsSync(join(out, name)) || !existsSync(join(source, name))) continue;
    definitions ??= (JSON.parse(readFileSync(join(source, '_definitions.json'), 'utf8')) as { $defs: Record<string, unknown> }).$defs;
    const text = readFileSync(join(source, name), 'utf8');
    const needed = new Set<string>();
    const queue = [...text.matchAll(REF)].map((m) => m[1] as string);
    while (queue.length > 0) {
      const def = queue.pop() as string;
      if (needed.has(def)) continue;
      needed.add(def);
      queue.push(...[...JSON.stringify(definitions[def] ?? {}).matchAll(REF)].map((m) => m[1] as string));
    }
    const schema = JSON.parse(text.replace(/\/api\/_definitions\.json#/g, '#')) as Record<string, unknown>;
    schema['$defs'] = Object.fromEntries([...needed].sort().map((d) => [d, definitions?.[d]]));
    writeFileSync(join(out, name), JSON.stringify(schema));
  }
  return out;
}
