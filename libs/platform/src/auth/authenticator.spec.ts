import { generateKeyPairSync } from 'node:crypto';
import { type CryptoKey, SignJWT, exportSPKI, generateKeyPair } from 'jose';
import { AuthError } from '../errors/platform-errors';
import { createApiKeyMatcher } from './api-key-matcher';
import { createAuthenticator } from './authenticator';
import { authenticatorFromConfig } from './authenticator-from-config';

const KEY_A = 'key-aaaaaaaaaaaaaaaa';
const KEY_B = 'key-bbbbbbbbbbbbbbbb';

async function rejection(p: Promise<unknown>): Promise<AuthError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AuthError);
  return err as AuthError;
}

describe('createAuthenticator: off', () => {
  it('lets everyone in as anonymous', async () => {
    const auth = createAuthenticator({ mode: 'off' });
    await expect(auth.authenticate({})).resolves.toEqual({ subject: 'anonymous', method: 'anonymous' });
  });
});

describe('createAuthenticator: api-key', () => {
  const auth = createAuthenticator({ mode: 'api-key', apiKeys: [KEY_A, KEY_B] });

  it('accepts a good key from x-api-key or Authorization: Bearer', async () => {
    const viaHeader = await auth.authenticate({ 'x-api-key': KEY_B });
    const viaBearer = await auth.authenticate({ authorization: `Bearer ${KEY_B}` });
    expect(viaHeader.method).toBe('api-key');
    expect(viaHeader.subject).toMatch(/^api-key:[0-9a-f]{12}$/);
    expect(viaBearer.subject).toBe(viaHeader.subject);
    expect(viaHeader.subject).not.toContain(KEY_B);
    expect((await auth.authenticate({ 'x-api-key': KEY_A })).subject).not.toBe(viaHeader.subject);
  });

  it('accepts gRPC metadata maps with Buffer values', async () => {
    await expect(auth.authenticate({ 'x-api-key': Buffer.from(KEY_A) })).resolves.toMatchObject({ method: 'api-key' });
  });

  it('rejects a bad key, a prefix of a good key and a missing key', async () => {
    expect((await rejection(auth.authenticate({ 'x-api-key': 'key-cccccccccccccccc' }))).message).toBe('invalid API key');
    expect((await rejection(auth.authenticate({ 'x-api-key': KEY_A.slice(0, -1) }))).message).toBe('invalid API key');
    const missing = await rejection(auth.authenticate({ authorization: 'Basic Zm9vOmJhcg==' }));
    expect(missing.message).toContain('missing API key');
    expect(missing.code).toBe('UNAUTHENTICATED');
  });

  it('refuses to start without keys', () => {
    expect(() => createAuthenticator({ mode: 'api-key', apiKeys: [] })).toThrow(TypeError);
  });

  it('matches keys by digest regardless of length', () => {
    const match = createApiKeyMatcher(['short', 'a-much-longer-key-value']);
    expect(match('short')).toHaveLength(12);
    expect(match('a-much-longer-key-value')).toHaveLength(12);
    expect(match('shorter')).toBeUndefined();
  });
});

describe('createAuthenticator: jwt', () => {
  let rsa: Awaited<ReturnType<typeof generateKeyPair>>;
  let ec: Awaited<ReturnType<typeof generateKeyPair>>;
  let rsaPem: string;
  let ecPem: string;

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256', { extractable: true });
    ec = await generateKeyPair('ES256', { extractable: true });
    rsaPem = await exportSPKI(rsa.publicKey);
    ecPem = await exportSPKI(ec.publicKey);
  });

  function token(alg: 'RS256' | 'ES256', key: CryptoKey, claims: { sub?: string; exp?: string | number; aud?: string } = {}) {
    let jwt = new SignJWT({ scope: 'chat' }).setProtectedHeader({ alg }).setIssuedAt().setIssuer('tuneline-tests');
    if (claims.sub !== undefined) jwt = jwt.setSubject(claims.sub);
    if (claims.aud !== undefined) jwt = jwt.setAudience(claims.aud);
    jwt = jwt.setExpirationTime(claims.exp ?? '5m');
    return jwt.sign(key);
  }

  it('accepts a valid RS256 token and exposes its claims', async () => {
    const auth = createAuthenticator({ mode: 'jwt', jwtPublicKeyPem: rsaPem, audience: 'support', issuer: 'tuneline-tests' });
    const p = await auth.authenticate({ authorization: `Bearer ${await token('RS256', rsa.privateKey, { sub: 'user-1', aud: 'support' })}` });
    expect(p).toMatchObject({ subject: 'user-1', method: 'jwt', claims: { scope: 'chat', aud: 'support' } });
  });

  it('accepts a valid ES256 token', async () => {
    const auth = createAuthenticator({ mode: 'jwt', jwtPublicKeyPem: ecPem });
    const jwt = await token('ES256', ec.privateKey, { sub: 'svc-2' });
    await expect(auth.authenticate({ authorization: `Bearer ${jwt}` })).resolves.toMatchObject({ subject: 'svc-2' });
  });

  it('rejects an expired token beyond the clock tolerance', async () => {
    const auth = createAuthenticator({ mode: 'jwt', jwtPublicKeyPem: rsaPem, clockToleranceSec: 5 });
    const jwt = await token('RS256', rsa.privateKey, { sub: 'user-1', exp: Math.floor(Date.now() / 1000) - 60 });
    expect((await rejection(auth.authenticate({ authorization: `Bearer ${jwt}` }))).message).toBe('token expired');
  });

  it('rejects a token signed with another key', async () => {
    const other = await generateKeyPair('RS256');
    const auth = createAuthenticator({ mode: 'jwt', jwtPublicKeyPem: rsaPem });
    const jwt = await token('RS256', other.privateKey, { sub: 'mallory' });
    expect((await rejection(auth.authenticate({ authorization: `Bearer ${jwt}` }))).message).toBe('token signature is invalid');
  });

  it('rejects a token whose algorithm does not match the configured key', async () => {
    const auth = createAuthenticator({ mode: 'jwt', jwtPublicKeyPem: rsaPem });
    const jwt = await token('ES256', ec.privateKey, { sub: 'x' });
    expect((await rejection(auth.authenticate({ authorization: `Bearer ${jwt}` }))).message).toBe('token algorithm is not allowed');
  });

  it('rejects the wrong audience, a missing subject, garbage and a missing token', async () => {
    const auth = createAuthenticator({ mode: 'jwt', jwtPublicKeyPem: rsaPem, audience: 'support' });
    const wrongAud = await token('RS256', rsa.privateKey, { sub: 'u', aud: 'recommender' });
    expect((await rejection(auth.authenticate({ authorization: `Bearer ${wrongAud}` }))).message).toBe('token claim "aud" is invalid');
    const noSub = await token('RS256', rsa.privateKey, { aud: 'support' });
    expect((await rejection(auth.authenticate({ authorization: `Bearer ${noSub}` }))).message).toBe('token has no subject');
    expect((await rejection(auth.authenticate({ authorization: 'Bearer not.a.jwt' }))).message).toBe('token is malformed');
    expect((await rejection(auth.authenticate({}))).message).toBe('missing bearer token');
  });

  it('refuses bad key material at start-up', () => {
    expect(() => createAuthenticator({ mode: 'jwt' })).toThrow('jwtPublicKeyPem is required');
    expect(() => createAuthenticator({ mode: 'jwt', jwtPublicKeyPem: 'nope' })).toThrow(TypeError);
    const ed = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => createAuthenticator({ mode: 'jwt', jwtPublicKeyPem: ed })).toThrow(/RSA or P-256/);
  });

  it('is built from AUTH_* config, reading the key file', async () => {
    const read = jest.fn(() => rsaPem);
    const auth = authenticatorFromConfig(
      { AUTH_MODE: 'jwt', AUTH_API_KEYS: [], AUTH_JWT_PUBLIC_KEY_FILE: '/etc/keys/jwt.pem', AUTH_JWT_AUDIENCE: undefined, AUTH_JWT_ISSUER: undefined },
      read,
    );
    expect(read).toHaveBeenCalledWith('/etc/keys/jwt.pem');
    const jwt = await token('RS256', rsa.privateKey, { sub: 'cfg' });
    await expect(auth.authenticate({ authorization: `Bearer ${jwt}` })).resolves.toMatchObject({ subject: 'cfg' });
  });
});
