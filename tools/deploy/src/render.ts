/** kustomize build of an overlay, and the rendered objects. */
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { DEPLOY_DIR, run, toolPath } from './tools';

export const OVERLAYS = ['local', 'production'] as const;
export type Overlay = (typeof OVERLAYS)[number];

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  [key: string]: unknown;
}

export function renderDir(dir: string): string {
  const result = run(toolPath('kustomize'), ['build', dir]);
  if (result.status !== 0) throw new Error(`kustomize build ${dir} failed:\n${result.stderr}`);
  return result.stdout;
}

export function renderOverlay(overlay: Overlay): string {
  return renderDir(join(DEPLOY_DIR, 'overlays', overlay));
}

export function parseObjects(yamlText: string): K8sObject[] {
  return parseAllDocuments(yamlText).flatMap((doc) => {
    if (doc.errors.length > 0) throw new Error(`YAML error: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value = doc.toJS() as K8sObject | null;
    return value ? [value] : [];
  });
}
