/**
 * A CRD's openAPIV3Schema as a strict JSON schema for kubeconform (what openapi2jsonschema
 * does): objects that list their properties and allow nothing else get
 * additionalProperties: false, so a misspelt field fails like it does for core kinds.
 */
import { parse } from 'yaml';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Crd {
  kind: string;
  spec: { group: string; names: { kind: string }; versions: Array<{ name: string; served: boolean; schema?: { openAPIV3Schema?: Json } }> };
}

export interface CrdSchema {
  /** kubeconform's {{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json layout. */
  readonly path: string;
  readonly schema: Json;
}

function strict(node: Json): Json {
  if (Array.isArray(node)) return node.map(strict);
  if (node === null || typeof node !== 'object') return node;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) out[key] = key === 'properties' && value && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strict(v)]))
    : strict(value);
  const open = out['x-kubernetes-preserve-unknown-fields'] === true || 'additionalProperties' in out;
  if (out['properties'] && !open) out['additionalProperties'] = false;
  return out;
}

export function crdSchemas(crdYaml: string): CrdSchema[] {
  const crd = parse(crdYaml) as Crd;
  if (crd.kind !== 'CustomResourceDefinition') throw new TypeError(`expected a CustomResourceDefinition, got ${String(crd.kind)}`);
  return crd.spec.versions
    .filter((v) => v.served && v.schema?.openAPIV3Schema)
    .map((v) => ({
      path: `${crd.spec.group}/${crd.spec.names.kind.toLowerCase()}_${v.name}.json`,
      schema: strict(v.schema?.openAPIV3Schema ?? null),
    }));
}
