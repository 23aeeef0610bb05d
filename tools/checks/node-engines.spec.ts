import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// libs/events uses AbortSignal.any, which Node added in 20.3: the engines field and the
// tools' Node guard must both refuse older 20.x releases.

const ROOT = resolve(__dirname, '../..');
const TOO_OLD = ['20.0.0', '20.2.0'];
const SUPPORTED = ['20.3.0', '20.19.5', '22.0.0'];

function satisfiesEngines(version: string): boolean {
  const range = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
  const semver = join(ROOT, 'node_modules/.bin/semver');
  return spawnSync(semver, ['-r', range, version]).status === 0;
}

describe('Node version requirement', () => {
  let fakeBin: string;
  beforeAll(() => {
    // A `node` on PATH that reports another version but otherwise runs the real one.
    fakeBin = mkdtempSync(join(tmpdir(), 'fake-node-'));
    writeFileSync(
      join(fakeBin, 'preload.js'),
      "Object.defineProperty(process, 'versions', { value: { ...process.versions, node: process.env.FAKE_NODE_VERSION } });\n" +
        "Object.defineProperty(process, 'version', { value: 'v' + process.env.FAKE_NODE_VERSION });\n",
    );
    writeFileSync(
      join(fakeBin, 'node'),
      `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "v$FAKE_NODE_VERSION"; exit 0; fi\nexec "${process.execPath}" -r "${join(fakeBin, 'preload.js')}" "$@"\n`,
    );
    chmodSync(join(fakeBin, 'node'), 0o755);
  });
  afterAll(() => rmSync(fakeBin, { recursive: true, force: true }));

  function runGuard(version: string) {
    return spawnSync('bash', ['-c', `source "${join(ROOT, 'tools/lib/common.sh')}" && require_node20`], {
      env: { ...process.env, PATH: `${fakeBin}:${process.env.PATH}`, FAKE_NODE_VERSION: version },
      encoding: 'utf8',
    });
  }

  it('package.json engines refuses Node before 20.3 and accepts later releases', () => {
    for (const v of TOO_OLD) expect([v, satisfiesEngines(v)]).toEqual([v, false]);
    for (const v of SUPPORTED) expect([v, satisfiesEngines(v)]).toEqual([v, true]);
  });

  it('require_node20 refuses Node before 20.3 with a message naming the version', () => {
    expect(execFileSync(join(fakeBin, 'node'), ['-p', 'process.versions.node'], { env: { ...process.env, FAKE_NODE_VERSION: '20.2.0' } }).toString().trim()).toBe('20.2.0');
    for (const v of TOO_OLD) {
      const result = runGuard(v);
      expect([v, result.status]).toEqual([v, 1]);
      expect(result.stderr).toContain(`found v${v}`);
      expect(result.stderr).toMatch(/20\.3/);
    }
    for (const v of SUPPORTED) expect([v, runGuard(v).status]).toEqual([v, 0]);
  });
});
