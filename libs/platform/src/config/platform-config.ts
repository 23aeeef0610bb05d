import { z } from 'zod';
import { envEnum, envInt, envList, envOptionalString, envPort } from './env-fields';
import { checkKafkaSecurityRules, kafkaSecurityConfigShape } from './kafka-security-config';

export const DEFAULT_HTTP_PORT = 8080;
export const DEFAULT_GRPC_PORT = 50051;
export const DEFAULT_BIND_HOST = '0.0.0.0';
/** Matches gRPC's own default receive limit. */
export const DEFAULT_GRPC_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
export const MAX_GRPC_MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;
export const DEFAULT_KAFKA_BROKERS = ['127.0.0.1:9092'] as const;
/** Shorter keys are guessable; refuse them at start-up. */
export const MIN_API_KEY_LENGTH = 16;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const AUTH_MODES = ['off', 'api-key', 'jwt'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$/;

/** Variables every service reads; a service adds its own with defineConfig. */
export const platformConfigShape = {
  SERVICE_NAME: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be lower-case kebab-case, e.g. support-chat'),
  LOG_LEVEL: envEnum(LOG_LEVELS, 'info'),
  BIND_HOST: z.string().trim().min(1, 'must not be empty').default(DEFAULT_BIND_HOST),
  HTTP_PORT: envPort(DEFAULT_HTTP_PORT),
  GRPC_PORT: envPort(DEFAULT_GRPC_PORT),
  GRPC_MAX_MESSAGE_BYTES: envInt({ def: DEFAULT_GRPC_MAX_MESSAGE_BYTES, min: 1024, max: MAX_GRPC_MAX_MESSAGE_BYTES }),
  SHUTDOWN_GRACE_MS: envInt({ def: DEFAULT_SHUTDOWN_GRACE_MS, min: 0, max: 300_000 }),
  AUTH_MODE: envEnum(AUTH_MODES, 'off'),
  AUTH_API_KEYS: envList().refine(
    (keys) => keys.every((k) => k.length >= MIN_API_KEY_LENGTH),
    `every key must be at least ${MIN_API_KEY_LENGTH} characters`,
  ),
  AUTH_JWT_PUBLIC_KEY_FILE: envOptionalString(),
  AUTH_JWT_AUDIENCE: envOptionalString(),
  AUTH_JWT_ISSUER: envOptionalString(),
  TLS_CERT_FILE: envOptionalString(),
  TLS_KEY_FILE: envOptionalString(),
  TLS_CA_FILE: envOptionalString(),
  KAFKA_BROKERS: envList(DEFAULT_KAFKA_BROKERS).refine(
    (brokers) => brokers.length > 0 && brokers.every((b) => HOST_PORT.test(b)),
    'must be a comma-separated list of host:port',
  ),
  ...kafkaSecurityConfigShape,
};

type PlatformShape = typeof platformConfigShape;
export type PlatformConfig = z.output<z.ZodObject<PlatformShape>>;

/** Rules that span several variables; reported under the variable to fix. */
function checkCrossFieldRules(cfg: PlatformConfig, ctx: z.RefinementCtx): void {
  const issue = (variable: string, message: string) => ctx.addIssue({ code: 'custom', path: [variable], message });
  if (cfg.AUTH_MODE === 'api-key' && cfg.AUTH_API_KEYS.length === 0) {
    issue('AUTH_API_KEYS', 'required when AUTH_MODE=api-key');
  }
  if (cfg.AUTH_MODE === 'jwt' && !cfg.AUTH_JWT_PUBLIC_KEY_FILE) {
    issue('AUTH_JWT_PUBLIC_KEY_FILE', 'required when AUTH_MODE=jwt');
  }
  if (Boolean(cfg.TLS_CERT_FILE) !== Boolean(cfg.TLS_KEY_FILE)) {
    issue(cfg.TLS_CERT_FILE ? 'TLS_KEY_FILE' : 'TLS_CERT_FILE', 'TLS_CERT_FILE and TLS_KEY_FILE must be set together');
  }
  if (cfg.TLS_CA_FILE && !cfg.TLS_CERT_FILE) {
    issue('TLS_CERT_FILE', 'required when TLS_CA_FILE is set (mTLS needs a server certificate)');
  }
  checkKafkaSecurityRules(cfg, issue);
}

/**
 * The service's config schema: platform variables plus the service's own
 * (a service may override a platform field, e.g. give SERVICE_NAME a default).
 */
export function defineConfig<S extends z.ZodRawShape>(shape: S = {} as S) {
  return z
    .object({ ...platformConfigShape, ...shape })
    .superRefine((cfg, ctx) => checkCrossFieldRules(cfg as unknown as PlatformConfig, ctx));
}
