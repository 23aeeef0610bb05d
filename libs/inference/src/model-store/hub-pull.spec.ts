import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_HUB_ENDPOINT, parseHubSpec, pullFromHub } from './hub-pull';

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

/** Two origins (two ports): the Hub redirects LFS files to a CDN elsewhere, as huggingface.co does. */
async function startHubAndCdn(body = ONNX): Promise<{ hub: Server; cdn: Server; hubUrl: string; auth: Record<string, string | undefined> }> {
  const auth: Record<string, string | undefined> = {};
  const listen = (s: Server) => new Promise<string>((r) => s.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)));
  const cdn = createServer((req, res) => {
    auth[`cdn ${req.url}`] = req.headers.authorization;
    res.writeHead(200).end(body);
  });
  const cdnUrl = await listen(cdn);
  const hub = createServer((req, res) => {
    auth[`hub ${req.url}`] = req.headers.authorization;
    if (req.url === '/org/enc/resolve/abc123/onnx/model.onnx') {
      res.writeHead(302, { location: `${cdnUrl}/blob/model.onnx`, 'x-linked-etag': `"${sha(ONNX)}"` }).end();
    } else if (req.url === '/org/enc/resolve/abc123/tokenizer.json') {
      res.writeHead(307, { location: '/org/enc/raw/tokenizer.json' }).end();
    } else if (req.url === '/org/enc/raw/tokenizer.json') {
      res.writeHead(200).end(TOKENIZER);
    } else {
      res.writeHead(404).end();
    }
  });
  return { hub, cdn, hubUrl: await listen(hub), auth };
}

/** A fetch whose responses refuse to be buffered whole: the body must be streamed. */
const streamingOnlyFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  const refuse = () => Promise.reject(new Error('buffered the whole body'));
  return Object.assign(res, { arrayBuffer: refuse, blob: refuse, text: refuse, json: refuse });
};

describe('pullFromHub redirects and streaming', () => {
  it('sends the token to the Hub, keeps it on a same-origin redirect, and strips it on a cross-origin one', async () => {
    const { hub, cdn, hubUrl, auth } = await startHubAndCdn();
    try {
      await pullFromHub('org/enc@abc123', { endpoint: hubUrl, cacheRoot: mkdtempSync(join(tmpdir(), 'hub-')), token: 'secret' });
      expect(auth['hub /org/enc/resolve/abc123/onnx/model.onnx']).toBe('Bearer secret');
      expect(auth['hub /org/enc/raw/tokenizer.json']).toBe('Bearer secret');
      expect(Object.keys(auth)).toContain('cdn /blob/model.onnx');
      expect(auth['cdn /blob/model.onnx']).toBeUndefined();
    } finally {
      hub.close();
      cdn.close();
    }
  });

  it('streams each file to disk while hashing instead of buffering it', async () => {
    const { hub, cdn, hubUrl } = await startHubAndCdn();
    try {
      const res = await pullFromHub('org/enc@abc123', { endpoint: hubUrl, cacheRoot: mkdtempSync(join(tmpdir(), 'hub-')), fetchImpl: streamingOnlyFetch });
      expect(readFileSync(join(res.dir, 'model.onnx'))).toEqual(ONNX);
      expect(res.files['onnx/model.onnx']).toBe(sha(ONNX));
    } finally {
      hub.close();
      cdn.close();
    }
  });

  it('deletes the partial download when its checksum does not match', async () => {
    const { hub, cdn, hubUrl } = await startHubAndCdn(Buffer.from('tampered bytes'));
    try {
      const cacheRoot = mkdtempSync(join(tmpdir(), 'hub-'));
      await expect(pullFromHub('org/enc@abc123', { endpoint: hubUrl, cacheRoot, fetchImpl: streamingOnlyFetch })).rejects.toThrow(/checksum mismatch/);
      const parent = join(cacheRoot, 'models', 'hub', 'org__enc');
      expect(existsSync(parent) ? readdirSync(parent) : []).toEqual([]);
    } finally {
      hub.close();
      cdn.close();
    }
  });

  it('ignores HF_ENDPOINT in the environment: the endpoint is an option', async () => {
    const { hub, cdn, hubUrl } = await startHubAndCdn();
    const saved = process.env['HF_ENDPOINT'];
    process.env['HF_ENDPOINT'] = hubUrl;
    try {
      const seen: string[] = [];
      const recording: typeof fetch = async (input) => {
        seen.push(String(input));
        throw new Error('offline');
      };
      await expect(pullFromHub('org/enc@abc123', { cacheRoot: mkdtempSync(join(tmpdir(), 'hub-')), fetchImpl: recording })).rejects.toThrow(/offline/);
      expect(seen[0]).toMatch(new RegExp(`^${DEFAULT_HUB_ENDPOINT}/org/enc/resolve/abc123/`));
    } finally {
      if (saved === undefined) delete process.env['HF_ENDPOINT'];
      else process.env['HF_ENDPOINT'] = saved;
      hub.close();
      cdn.close();
    }
  });
});

describe('pullFromHub response bodies', () => {
  /** A fetch whose 404/500 bodies record being cancelled: an unread, uncancelled body holds its socket until GC. */
  function fakeHub(status: Record<string, number>) {
    const cancelled: string[] = [];
    const fetchImpl: typeof fetch = async (input) => {
      const url = String(input);
      const path = url.replace(/^.*\/resolve\/abc123\//, '');
      const code = status[path] ?? 404;
      if (code === 200) return new Response(path === 'model.onnx' ? ONNX : TOKENIZER, { status: 200 });
      const body = new ReadableStream<Uint8Array>({
        start: (c) => c.enqueue(new TextEncoder().encode('Entry not found')), // left open, as a keep-alive socket would be
        cancel: () => { cancelled.push(path); },
      });
      return new Response(body, { status: code });
    };
    return { fetchImpl, cancelled };
  }

  it('cancels the body of each optional file that answers 404', async () => {
    const { fetchImpl, cancelled } = fakeHub({ 'model.onnx': 200, 'tokenizer.json': 200 });
    await pullFromHub('org/enc@abc123', {
      endpoint: 'http://hub.invalid', cacheRoot: mkdtempSync(join(tmpdir(), 'hub-')), fetchImpl, sha256: { 'model.onnx': sha(ONNX) },
    });
    expect(cancelled.sort()).toEqual(['1_Pooling/config.json', 'config.json', 'onnx/model.onnx', 'tokenizer_config.json']);
  });

  it('cancels the body of a response that is not ok', async () => {
    const { fetchImpl, cancelled } = fakeHub({ 'model.onnx': 200, 'tokenizer.json': 500 });
    await expect(pullFromHub('org/enc@abc123', {
      endpoint: 'http://hub.invalid', cacheRoot: mkdtempSync(join(tmpdir(), 'hub-')), fetchImpl, sha256: { 'model.onnx': sha(ONNX) },
    })).rejects.toThrow(/tokenizer.json: HTTP 500/);
    expect(cancelled).toEqual(['onnx/model.onnx', 'tokenizer.json']);
  });
});
