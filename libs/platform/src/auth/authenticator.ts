import { AuthError } from '../errors/platform-errors';
import { type HeaderBag, headerValue } from '../logging/request-id';
import { createApiKeyMatcher } from './api-key-matcher';
import { createJwtVerifier } from './jwt-verifier';
import { ANONYMOUS, type Principal } from './principal';

export type AuthenticatorMode = 'off' | 'api-key' | 'jwt';

export interface AuthenticatorOptions {
  mode: AuthenticatorMode;
  /** Accepted API keys (mode api-key). */
  apiKeys?: readonly string[];
  /** Public key PEM for JWT signatures (mode jwt). */
  jwtPublicKeyPem?: string;
  audience?: string;
  issuer?: string;
  clockToleranceSec?: number;
}

export interface Authenticator {
  readonly mode: AuthenticatorMode;
  /**
   * Establishes the caller from HTTP headers or a gRPC metadata map
   * (`metadata.getMap()`). Rejects with AuthError (UNAUTHENTICATED / 401).
   */
  authenticate(headers: HeaderBag): Promise<Principal>;
}

export const API_KEY_HEADER = 'x-api-key';

function bearerToken(headers: HeaderBag): string | undefined {
  const value = headerValue(headers, 'authorization')?.trim();
  const match = value === undefined ? null : /^Bearer\s+(\S+)$/i.exec(value);
  return match?.[1];
}

/** Builds the request authenticator once at start-up; bad options throw TypeError. */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  switch (options.mode) {
    case 'off':
      return { mode: 'off', authenticate: async () => ANONYMOUS };

    case 'api-key': {
      const keys = options.apiKeys ?? [];
      if (keys.length === 0) throw new TypeError('apiKeys must list at least one key when mode is "api-key"');
      const match = createApiKeyMatcher(keys);
      return {
        mode: 'api-key',
        async authenticate(headers) {
          const presented = headerValue(headers, API_KEY_HEADER)?.trim() || bearerToken(headers);
          if (!presented) throw new AuthError('missing API key (x-api-key or Authorization: Bearer)');
          const fingerprint = match(presented);
          if (!fingerprint) throw new AuthError('invalid API key');
          return { subject: `api-key:${fingerprint}`, method: 'api-key' };
        },
      };
    }

    case 'jwt': {
      if (!options.jwtPublicKeyPem) throw new TypeError('jwtPublicKeyPem is required when mode is "jwt"');
      const verify = createJwtVerifier({
        publicKeyPem: options.jwtPublicKeyPem,
        audience: options.audience,
        issuer: options.issuer,
        clockToleranceSec: options.clockToleranceSec,
      });
      return {
        mode: 'jwt',
        async authenticate(headers) {
          const token = bearerToken(headers);
          if (!token) throw new AuthError('missing bearer token');
          return verify(token);
        },
      };
    }

    default:
      throw new TypeError(`mode must be off, api-key or jwt, got "${String((options as { mode: unknown }).mode)}"`);
  }
}
