/**
 * Where the pinned validation tools live once tools/deploy/install-tools.sh has run (the Nx
 * `test` target runs it first; it skips what is already installed).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../..');
export const DEPLOY_DIR = join(ROOT, 'deploy');
export const CACHE = process.env['TUNELINE_CACHE'] ? resolve(process.env['TUNELINE_CACHE']) : join(ROOT, '.cache');
export const KUBERNETES_VERSION = '1.32.0';

export function toolPath(name: 'kustomize' | 'kubeconform' | 'kube-score'): string {
  const path = join(CACHE, 'bin', name);
  if (!existsSync(path)) throw new Error(`${path} is missing: run bash tools/deploy/install-tools.sh`);
  return path;
}

/** kubernetes-validate's strict JSON schemas for KUBERNETES_VERSION, inside the venv. */
export function kubernetesSchemaDir(): string {
  const lib = join(CACHE, 'deploy-venv', 'lib');
  const python = existsSync(lib) ? readdirSync(lib).find((d) => d.startsWith('python')) : undefined;
  const dir = python && join(lib, python, 'site-packages', 'kubernetes_validate', 'kubernetes-json-schema', `v${KUBERNETES_VERSION}-local-strict`);
  if (!dir || !existsSync(dir)) throw new Error(`Kubernetes ${KUBERNETES_VERSION} schemas missing under ${lib}: run bash tools/deploy/install-tools.sh`);
  return dir;
}

/** Runs a tool; its exit status does not throw (the caller reads the output). */
export function run(cmd: string, args: readonly string[], input?: string): { status: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(cmd, [...args], { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
    return { status: 0, stdout, stderr: '' };
  } catch (err) {
    const e = err as { status?: number; stdout?: string; stderr?: string; message: string };
    if (typeof e.status !== 'number') throw err;
    return { status: e.status, stdout: e.stdout ?? '', stderr: e.stderr ?? e.message };
  }
}
