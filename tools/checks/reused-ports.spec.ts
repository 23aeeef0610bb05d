import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// npm start reuses a running app: asked for on other ports than it was started on, it must stop
// with a message naming the variable (the printed lines and the console's gRPC addresses would
// name a port nobody serves). tools/lib/platform.sh records both ports; tools/stop.sh removes them.

const ROOT = resolve(__dirname, '../..');

describe('recorded ports of a reused app (tools/lib/platform.sh)', () => {
  let runDir: string;
  beforeEach(() => (runDir = mkdtempSync(join(tmpdir(), 'tuneline-run-'))));
  afterEach(() => rmSync(runDir, { recursive: true, force: true }));

  const sh = (script: string) =>
    spawnSync('bash', ['-c', `source "${ROOT}/tools/lib/common.sh" && source "${ROOT}/tools/lib/platform.sh" && ${script}`], {
      env: { ...process.env, TUNELINE_RUN_DIR: runDir },
      encoding: 'utf8',
    });
  const file = (name: string) => (existsSync(join(runDir, name)) ? readFileSync(join(runDir, name), 'utf8').trim() : undefined);

  it('records the HTTP and gRPC ports; the same ports are accepted', () => {
    expect(sh('record_ports recommender 18083 15063').status).toBe(0);
    expect([file('recommender.http-port'), file('recommender.grpc-port')]).toEqual(['18083', '15063']);
    expect(sh('check_reused_ports recommender 18083 15063')).toMatchObject({ status: 0, stderr: '' });
  });

  it('refuses a moved gRPC port, naming <APP>_GRPC_PORT and npm stop, as it does a moved HTTP port', () => {
    sh('record_ports recommender 18083 15063');
    const grpc = sh('check_reused_ports recommender 18083 15099');
    expect(grpc.status).toBe(1);
    expect(grpc.stderr).toContain('recommender already runs with GRPC port 15063, not 15099 (RECOMMENDER_GRPC_PORT); npm stop first');
    const http = sh('check_reused_ports recommender 18099 15063');
    expect(http.status).toBe(1);
    expect(http.stderr).toContain('recommender already runs with HTTP port 18083, not 18099 (RECOMMENDER_HTTP_PORT); npm stop first');
  });

  it('an app without gRPC records none; a record an older run did not write is taken as asked', () => {
    writeFileSync(join(runDir, 'console.grpc-port'), '15000\n'); // left by an earlier start with one
    sh('record_ports console 18080 ""');
    expect(file('console.grpc-port')).toBeUndefined();
    expect(sh('check_reused_ports console 18080 ""').status).toBe(0);
    writeFileSync(join(runDir, 'support-chat.http-port'), '18081\n');
    expect(sh('check_reused_ports support-chat 18081 15061').status).toBe(0);
  });

  it('npm stop removes the pid file and both recorded ports of an app that is gone', () => {
    // A pid no process has (above the kernel's pid_max), so the app counts as not running.
    writeFileSync(join(runDir, 'recommender.pid'), '99999999 Thu Jan  1 00:00:00 1970\n');
    sh('record_ports recommender 18083 15063');
    const stop = spawnSync('bash', [join(ROOT, 'tools/stop.sh')], { env: { ...process.env, TUNELINE_RUN_DIR: runDir }, encoding: 'utf8' });
    expect(stop.status).toBe(0);
    expect(['recommender.pid', 'recommender.http-port', 'recommender.grpc-port'].map(file)).toEqual([undefined, undefined, undefined]);
  });
});
