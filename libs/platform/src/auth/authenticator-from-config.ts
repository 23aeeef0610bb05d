import { readFileSync } from 'node:fs';
import type { PlatformConfig } from '../config/platform-config';
import { type Authenticator, createAuthenticator } from './authenticator';

/** The authenticator described by AUTH_* variables (reads the JWT key file once). */
export function authenticatorFromConfig(
  config: Pick<PlatformConfig, 'AUTH_MODE' | 'AUTH_API_KEYS' | 'AUTH_JWT_PUBLIC_KEY_FILE' | 'AUTH_JWT_AUDIENCE' | 'AUTH_JWT_ISSUER'>,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): Authenticator {
  return createAuthenticator({
    mode: config.AUTH_MODE,
    apiKeys: config.AUTH_API_KEYS,
    jwtPublicKeyPem: config.AUTH_JWT_PUBLIC_KEY_FILE ? readFile(config.AUTH_JWT_PUBLIC_KEY_FILE) : undefined,
    audience: config.AUTH_JWT_AUDIENCE,
    issuer: config.AUTH_JWT_ISSUER,
  });
}
