export * from './principal';
export * from './authenticator';
export { createApiKeyMatcher } from './api-key-matcher';
export { DEFAULT_JWT_CLOCK_TOLERANCE_SEC } from './jwt-verifier';
export * from './authenticator-from-config';
