import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { EXIT_CODES } from '../exit-codes';
import { run } from '../main';

class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** One in-process run of `tuneline rank-head ...`: exit code and stderr. */
async function rankHead(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await run(['rank-head', ...args], { stdout, stderr, stdin: new PassThrough() }, {});
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('tuneline rank-head: argument validation (no model loads)', () => {
  const root = mkdtempSync(join(tmpdir(), 'rank-head-spec-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('refuses a --data path that does not exist, or a directory without movies.csv, with exit 2 and the reason', async () => {
    const missing = await rankHead(['--data', join(root, 'nowhere'), '--out', join(root, 'repo')]);
    expect(missing.code).toBe(EXIT_CODES.usage);
    expect(missing.stderr).toContain(`option '--data <dir>' argument '${join(root, 'nowhere')}' is invalid`);
    expect(missing.stderr).toContain('not a directory (expected a MovieLens-layout directory');

    mkdirSync(join(root, 'empty'));
    const noMovies = await rankHead(['--data', join(root, 'empty'), '--out', join(root, 'repo')]);
    expect(noMovies.code).toBe(EXIT_CODES.usage);
    expect(noMovies.stderr).toContain('movies.csv not found');
    expect(noMovies.stdout).toBe('');
  });

  it('requires --out and checks --name like every other command', async () => {
    expect((await rankHead([])).stderr).toContain("required option '--out <dir>' not specified");
    const badName = await rankHead(['--out', join(root, 'repo'), '--name', '../escape']);
    expect(badName.code).toBe(EXIT_CODES.usage);
    expect(badName.stderr).toContain("option '--name <name>' argument '../escape' is invalid");
  });

  it('reports bad rows (file:line) and a directory without ratings as bad data (exit 3), before loading the encoder', async () => {
    const bad = join(root, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'movies.csv'), 'movieId,title,genres\n1,Alpha (2001),Drama\n');
    writeFileSync(join(bad, 'ratings.csv'), 'userId,movieId,rating,timestamp\n1,1,not-a-number,100\n');
    const badRow = await rankHead(['--data', bad, '--out', join(root, 'repo'), '--base', join(root, 'no-encoder')]);
    expect(badRow.code).toBe(EXIT_CODES.data);
    expect(badRow.stderr).toMatch(/error: bad data: .*ratings\.csv:2: /);

    rmSync(join(bad, 'ratings.csv'));
    const noRatings = await rankHead(['--data', bad, '--out', join(root, 'repo'), '--base', join(root, 'no-encoder')]);
    expect(noRatings.code).toBe(EXIT_CODES.data);
    expect(noRatings.stderr).toContain('no ratings.csv');
  });

  it('names a missing encoder as a model error (exit 4)', async () => {
    const noEncoder = await rankHead(['--out', join(root, 'repo'), '--base', join(root, 'no-encoder')]);
    expect(noEncoder.code).toBe(EXIT_CODES.model);
    expect(noEncoder.stderr).toContain('no-encoder');
  });
});
