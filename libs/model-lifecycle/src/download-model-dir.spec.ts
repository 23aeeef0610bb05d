import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { materializeVersion } from './materialize-version';

/** A tiny model store over a real socket: GET /<model>/<version>/<file>. */
function modelStore(files: Record<string, string>, failFirst = 0): Promise<{ server: Server; url: string; hits: string[] }> {
  const hits: string[] = [];
  let failures = failFirst;
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (failures > 0) {
      failures--;
      res.writeHead(503).end('busy');
      return;
    }
    const name = (req.url ?? '').split('/').pop() ?? '';
    const body = files[name];
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, hits, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/intent/2` })));
}

const noCheck = async (): Promise<void> => undefined;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const SUMS = { sha256: sha('weights'), tokenizerSha256: sha('{}') };

describe('materializeVersion from an http model store', () => {
  const files = { 'model.onnx': 'weights', 'tokenizer.json': '{}', 'labels.json': '["a"]', 'tuneline.json': '{"format":"x"}' };

  it('streams the model files into <root>/<model>/<version>/ (optional ones may be missing)', async () => {
    const { server, url, hits } = await modelStore(files);
    try {
      const root = mkdtempSync(join(tmpdir(), 'dl-'));
      const seen: string[] = [];
      const r = await materializeVersion({ root, model: 'intent', version: '2', path: '/elsewhere', uri: url, checksums: SUMS, check: async (d) => void seen.push(d) });
      expect(r).toEqual({ dir: join(root, 'intent', '2'), from: 'http' });
      expect(readdirSync(r.dir).sort()).toEqual(['labels.json', 'model.onnx', 'tokenizer.json', 'tuneline.json']);
      expect(createHash('sha256').update(readFileSync(join(r.dir, 'model.onnx'))).digest('hex')).toBe(createHash('sha256').update('weights').digest('hex'));
      expect(seen[0]).toMatch(/intent\/\.tmp-2-/); // checked before it became visible
      expect(hits).toEqual(['/intent/2/model.onnx', '/intent/2/tokenizer.json', '/intent/2/tuneline.json', '/intent/2/labels.json', '/intent/2/model-card.json']);
    } finally {
      server.close();
    }
  });

  it('leaves nothing behind when a required file is missing or the check refuses', async () => {
    const { server, url } = await modelStore({ 'model.onnx': 'weights' });
    try {
      const root = mkdtempSync(join(tmpdir(), 'dl-'));
      await expect(materializeVersion({ root, model: 'intent', version: '2', path: '/x', uri: url, checksums: SUMS, check: noCheck })).rejects.toMatchObject({ code: 'FETCH_FAILED', retriable: false });
      expect(readdirSync(join(root, 'intent'))).toEqual([]);
    } finally {
      server.close();
    }
    const ok = await modelStore(files);
    try {
      const root = mkdtempSync(join(tmpdir(), 'dl-'));
      const refuse = async (): Promise<void> => { throw new Error('bad sum'); };
      await expect(materializeVersion({ root, model: 'intent', version: '2', path: '/x', uri: ok.url, checksums: SUMS, check: refuse })).rejects.toThrow('bad sum');
      expect(existsSync(join(root, 'intent', '2'))).toBe(false);
      expect(readdirSync(join(root, 'intent'))).toEqual([]);
    } finally {
      ok.server.close();
    }
  });

  it('a ranking head (tuneline.json task "ranking") needs no tokenizer.json; a text model without one is still refused', async () => {
    const head = { 'model.onnx': 'weights', 'tuneline.json': JSON.stringify({ format: 'tuneline-model/v1', task: 'ranking', featureNames: ['a'] }) };
    const store = await modelStore(head);
    try {
      const root = mkdtempSync(join(tmpdir(), 'dl-'));
      const r = await materializeVersion({ root, model: 'intent', version: '2', path: '/x', uri: store.url, checksums: { sha256: sha('weights') }, check: noCheck });
      expect(readdirSync(r.dir).sort()).toEqual(['model.onnx', 'tuneline.json']);
    } finally {
      store.server.close();
    }
    const text = await modelStore({ 'model.onnx': 'weights', 'tuneline.json': '{"format":"x"}' });
    try {
      const root = mkdtempSync(join(tmpdir(), 'dl-'));
      await expect(materializeVersion({ root, model: 'intent', version: '2', path: '/x', uri: text.url, checksums: { sha256: sha('weights') }, check: noCheck }))
        .rejects.toMatchObject({ code: 'FETCH_FAILED', retriable: false, message: 'the published directory has no tokenizer.json' });
      expect(readdirSync(join(root, 'intent'))).toEqual([]);
    } finally {
      text.server.close();
    }
  });

  it('checks sha256 while streaming: a differing model.onnx is refused before any check and leaves nothing', async () => {
    const { server, url, hits } = await modelStore({ ...files, 'model.onnx': 'tampered' });
    try {
      const root = mkdtempSync(join(tmpdir(), 'dl-'));
      const seen: string[] = [];
      await expect(materializeVersion({ root, model: 'intent', version: '2', path: '/x', uri: url, checksums: SUMS, check: async (d) => void seen.push(d) }))
        .rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH', retriable: false, expected: SUMS.sha256, actual: sha('tampered') });
      expect(seen).toEqual([]);
      expect(hits).toEqual(['/intent/2/model.onnx']);
      expect(readdirSync(join(root, 'intent'))).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('gives up on a store that stalls mid-body after fetchTimeoutMs, as a retriable fetch failure', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '1000' });
      res.write('first bytes'); // ... and never the rest
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/intent/2`;
    try {
      const root = mkdtempSync(join(tmpdir(), 'dl-'));
      const started = Date.now();
      await expect(materializeVersion({ root, model: 'intent', version: '2', path: '/x', uri: url, checksums: SUMS, check: noCheck, fetchTimeoutMs: 300 }))
        .rejects.toMatchObject({ code: 'FETCH_FAILED', retriable: true, message: expect.stringMatching(/model\.onnx: download broke off: timed out after 300 ms/) });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(readdirSync(join(root, 'intent'))).toEqual([]);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('marks 5xx as retriable and refuses unsupported schemes', async () => {
    const { server, url } = await modelStore(files, 1);
    try {
      const root = mkdtempSync(join(tmpdir(), 'dl-'));
      await expect(materializeVersion({ root, model: 'intent', version: '2', path: '/x', uri: url, checksums: SUMS, check: noCheck })).rejects.toMatchObject({ code: 'FETCH_FAILED', retriable: true });
      await expect(materializeVersion({ root, model: 'intent', version: '2', path: '/x', uri: 's3://b/intent/2', checksums: SUMS, check: noCheck })).rejects.toMatchObject({ code: 'UNSUPPORTED_SOURCE' });
    } finally {
      server.close();
    }
  });
});
