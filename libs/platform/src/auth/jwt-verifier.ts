import { createPublicKey } from 'node:crypto';
import { AuthError } from '../errors/platform-errors';
import type { Principal } from './principal';

export interface JwtVerifierOptions {
  /** PEM public key (SPKI "PUBLIC KEY", PKCS#1 "RSA PUBLIC KEY") or X.509 certificate. */
  publicKeyPem: string;
  audience?: string;
  issuer?: string;
  /** Allowed clock skew for exp/nbf, seconds. */
  clockToleranceSec?: number;
}

export const DEFAULT_JWT_CLOCK_TOLERANCE_SEC = 30;

/** The one algorithm the key allows, so a token cannot pick a weaker one. */
function algorithmFor(pem: string): { alg: 'RS256' | 'ES256'; spki: string } {
  let key;
  try {
    key = createPublicKey(pem);
  } catch (err) {
    throw new TypeError('jwtPublicKeyPem is not a valid PEM public key or certificate', { cause: err });
  }
  const spki = key.export({ type: 'spki', format: 'pem' }).toString();
  if (key.asymmetricKeyType === 'rsa') return { alg: 'RS256', spki };
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return { alg: 'ES256', spki };
  throw new TypeError(`jwtPublicKeyPem must be an RSA or P-256 EC key, got ${key.asymmetricKeyType ?? 'unknown'}`);
}

function reasonOf(err: unknown): string {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'token expired';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'token signature is invalid';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return `token claim "${String((err as { claim?: unknown }).claim)}" is invalid`;
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'token algorithm is not allowed';
    default:
      return 'token is malformed';
  }
}

/** Verifies RS256/ES256 JWTs with one configured public key (jose). */
export function createJwtVerifier(options: JwtVerifierOptions): (token: string) => Promise<Principal> {
  const { alg, spki } = algorithmFor(options.publicKeyPem);
  // jose is ESM-only; load it on first use so services without JWT auth never pay for it.
  const ready = import('jose').then(async (jose) => ({ jose, key: await jose.importSPKI(spki, alg) }));
  ready.catch(() => undefined); // surfaced on first authenticate(), not as an unhandled rejection
  return async (token) => {
    const { jose, key } = await ready;
    try {
      const { payload } = await jose.jwtVerify(token, key, {
        algorithms: [alg],
        audience: options.audience,
        issuer: options.issuer,
        clockTolerance: options.clockToleranceSec ?? DEFAULT_JWT_CLOCK_TOLERANCE_SEC,
      });
      if (typeof payload.sub !== 'string' || payload.sub === '') throw new AuthError('token has no subject');
      return { subject: payload.sub, method: 'jwt', claims: payload };
    } catch (err) {
      if (err instanceof AuthError) throw err;
      throw new AuthError(reasonOf(err));
    }
  };
}
