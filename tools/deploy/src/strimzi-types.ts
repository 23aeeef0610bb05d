/**
 * The Strimzi CRD schemas allow unknown fields (no additionalProperties), so a misspelt field
 * would pass strimzi-validate.mjs. The same package's TypeScript types are exact: each object
 * is type-checked as an object literal of its kind's interface, where TypeScript's excess
 * property check names any field the v1beta2 schema does not have.
 */
import * as ts from 'typescript';
import { join } from 'node:path';
import type { Finding } from './kubeconform';
import type { K8sObject } from './render';
import { ROOT } from './tools';

const CHECK_FILE = join(ROOT, 'tools', 'deploy', '__strimzi_objects__.ts');
const OPTIONS: ts.CompilerOptions = {
  strict: true, noEmit: true, skipLibCheck: true, types: [],
  module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022,
};

export function strimziTypeFindings(objects: readonly K8sObject[]): Finding[] {
  if (objects.length === 0) return [];
  const kinds = [...new Set(objects.map((o) => o.kind))];
  const lines = [
    ...kinds.map((k) => `import type { I${k} } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1beta2/${k}';`),
    // One object per line, so a diagnostic's line names its object.
    ...objects.map((o, i) => `export const o${i}: I${o.kind} = ${JSON.stringify(o)};`),
  ];
  const firstObjectLine = kinds.length;
  const host = ts.createCompilerHost(OPTIONS);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.getSourceFile = (file, version, ...rest) => (file === CHECK_FILE ? ts.createSourceFile(file, lines.join('\n'), version) : getSourceFile(file, version, ...rest));
  host.fileExists = (file) => file === CHECK_FILE || fileExists(file);
  const program = ts.createProgram([CHECK_FILE], OPTIONS, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1;
    const object = objects[line - firstObjectLine];
    return {
      tool: 'strimzi',
      object: object ? `${object.kind}/${object.metadata.name}` : '-',
      message: ts.flattenDiagnosticMessageText(d.messageText, ' ').replace(/in type '\{.*$/, 'in the v1beta2 schema'),
    };
  });
}
