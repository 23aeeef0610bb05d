/**
 * kube-score on the rendered objects: every CRITICAL finding fails, unless
 * deploy/kube-score-allow.yaml lists its check and object with the reason it is accepted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Finding } from './kubeconform';
import { DEPLOY_DIR, run, toolPath } from './tools';

const CRITICAL = 1;

export interface Allowed {
  readonly check: string;
  /** `<Kind>/<name>` */
  readonly object: string;
  readonly reason: string;
}

interface ScoredObject {
  type_meta: { kind: string };
  object_meta: { name: string };
  checks: Array<{ check: { id: string }; grade: number; skipped: boolean; comments: Array<{ summary: string }> | null }>;
}

export function loadAllowList(path = join(DEPLOY_DIR, 'kube-score-allow.yaml')): Allowed[] {
  const list = (parse(readFileSync(path, 'utf8')) as { allowed?: Allowed[] } | null)?.allowed ?? [];
  for (const entry of list) {
    if (!entry.check || !entry.object || !entry.reason || entry.reason.trim().length < 10) {
      throw new Error(`${path}: every entry needs check, object and a reason (got ${JSON.stringify(entry)})`);
    }
  }
  return list;
}

export function kubeScore(yamlText: string, allowed: readonly Allowed[] = loadAllowList()): Finding[] {
  const result = run(toolPath('kube-score'), ['score', '--kubernetes-version', 'v1.32', '--output-format', 'json', '-'], yamlText);
  if (!result.stdout.trim().startsWith('[')) return [{ tool: 'kube-score', object: '-', message: result.stderr || result.stdout }];
  const scored = JSON.parse(result.stdout) as ScoredObject[];
  return scored.flatMap((o) => {
    const object = `${o.type_meta.kind}/${o.object_meta.name}`;
    return o.checks
      .filter((c) => !c.skipped && c.grade === CRITICAL)
      .filter((c) => !allowed.some((a) => a.check === c.check.id && a.object === object))
      .map((c) => ({ tool: 'kube-score', object, message: `${c.check.id}: ${(c.comments ?? []).map((x) => x.summary).join('; ')}` }));
  });
}
