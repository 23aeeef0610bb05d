import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHubSpec, pullFromHub } from './hub-pull';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const ONNX = Buffer.from('fake onnx bytes for the download test');
const TOKENIZER = Buffer.from('{"model":{}}');

/** A local stand-in for the Hub: LFS files redirect to a CDN path with X-Linked-Etag. */
function startHub(onnxEtag = sha(ONNX)): Promise<{ server: Server; url: string; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/org/enc/resolve/abc123/onnx/model.onnx') {
      res.writeHead(302, { location: '/cdn/model.onnx', 'x-linked-etag': `"${onnxEtag}"` }).end();
    } else if (req.url === '/cdn/model.onnx') {
      res.writeHead(200).end(ONNX);
    } else if (req.url === '/org/enc/resolve/abc123/tokenizer.json') {
      res.writeHead(200).end(TOKENIZER);
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () =>
    resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits })));
}

describe('pullFromHub against a local HTTP server', () => {
  it('downloads, verifies by X-Linked-Etag and writes a lock file', async () => {
    const hub = await startHub();
    try {
      const cacheRoot = mkdtempSync(join(tmpdir(), 'hub-'));
      const res = await pullFromHub('org/enc@abc123', { endpoint: hub.url, cacheRoot });
      expect(readFileSync(join(res.dir, 'model.onnx'))).toEqual(ONNX);
      expect(readFileSync(join(res.dir, 'tokenizer.json'))).toEqual(TOKENIZER);
      expect(res.files['onnx/model.onnx']).toBe(sha(ONNX));
      expect(JSON.parse(readFileSync(join(res.dir, 'hub-lock.json'), 'utf8'))).toMatchObject({ repo: 'org/enc', revision: 'abc123' });
      expect(hub.hits).toContain('/cdn/model.onnx');
    } finally {
      hub.server.close();
    }
  });

  it('refuses a download whose bytes do not match the Hub hash and leaves no model behind', async () => {
    const hub = await startHub('0'.repeat(64));
    try {
      const cacheRoot = mkdtempSync(join(tmpdir(), 'hub-'));
      await expect(pullFromHub('org/enc@abc123', { endpoint: hub.url, cacheRoot })).rejects.toThrow(/checksum mismatch .*onnx\/model.onnx/);
      expect(existsSync(join(cacheRoot, 'models', 'hub', 'org__enc', 'abc123'))).toBe(false);
    } finally {
      hub.server.close();
    }
  });

  it('honours a caller pin over the Hub hash', async () => {
    const hub = await startHub();
    try {
      const cacheRoot = mkdtempSync(join(tmpdir(), 'hub-'));
      await expect(pullFromHub('org/enc@abc123', { endpoint: hub.url, cacheRoot, sha256: { 'onnx/model.onnx': 'f'.repeat(64) } }))
        .rejects.toThrow(/expected f{64}/);
    } finally {
      hub.server.close();
    }
  });

  it('reports a missing repository', async () => {
    const hub = await startHub();
    try {
      await expect(pullFromHub('org/missing@main', { endpoint: hub.url, cacheRoot: mkdtempSync(join(tmpdir(), 'hub-')) }))
        .rejects.toThrow(/has no ONNX graph/);
    } finally {
      hub.server.close();
    }
  });

  it('parses specs and rejects malformed ones', () => {
    expect(parseHubSpec('BAAI/bge-small-en-v1.5@5c38ec7')).toEqual({ repo: 'BAAI/bge-small-en-v1.5', revision: '5c38ec7' });
    expect(() => parseHubSpec('no-revision/here')).toThrow(TypeError);
  });
});
