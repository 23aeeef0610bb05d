/** Every check of a rendered manifest set: kubeconform, Strimzi schemas, kube-score. */
import { kubeconform, type Finding } from './kubeconform';
import { kubeScore } from './kube-score';
import { parseObjects } from './render';
import { strimziFindings } from './strimzi';

export function validateManifests(yamlText: string): Finding[] {
  const objects = parseObjects(yamlText);
  return [...kubeconform(objects, yamlText), ...strimziFindings(objects), ...kubeScore(yamlText)];
}

export function formatFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `[${f.tool}] ${f.object}: ${f.message}`).join('\n');
}
