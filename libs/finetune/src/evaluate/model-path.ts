import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compareVersions } from '@tuneline/inference';

/**
 * A trained model given either as a version directory (`<repo>/<name>/3`, holding
 * model.onnx) or as the model's root (`<repo>/<name>`): then its latest version, as the
 * model repository serves it. Anything else comes back resolved and unchanged, so the
 * loader reports what is missing.
 */
export function resolveTrainedModelDir(path: string): string {
  const dir = resolve(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory() || existsSync(join(dir, 'model.onnx'))) return dir;
  const versions = readdirSync(dir)
    .filter((v) => !v.startsWith('.') && !v.includes('.tmp-') && existsSync(join(dir, v, 'model.onnx')))
    .sort(compareVersions);
  const latest = versions[versions.length - 1];
  return latest ? join(dir, latest) : dir;
}
