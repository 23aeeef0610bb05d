/**
 * The console's configuration, parsed from the environment once at start-up
 * (docs/configuration.md, "console"). Platform variables come from defineConfig; the gRPC
 * targets of the three services and the console's own knobs are CONSOLE_*-free names fixed
 * by the cross-service contract (SUPPORT_CHAT_GRPC_URL, SENTIMENT_GRPC_URL, RECOMMENDER_GRPC_URL).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import { defineConfig, envBool, envInt, envOptionalString, envPort } from '@tuneline/platform';

export const DEFAULT_SERVICE_NAME = 'console';
export const DEFAULT_CONSOLE_HTTP_PORT = 8080;

const target = (def: string) =>
  z.string().trim().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'must be host:port (e.g. 127.0.0.1:50061)').default(def);

export const consoleConfigSchema = defineConfig({
  HTTP_PORT: envPort(DEFAULT_CONSOLE_HTTP_PORT),
  SUPPORT_CHAT_GRPC_URL: target('127.0.0.1:50061'),
  SENTIMENT_GRPC_URL: target('127.0.0.1:50062'),
  RECOMMENDER_GRPC_URL: target('127.0.0.1:50063'),
  /** Deadline of each unary call to a service (a chat turn on a busy CPU can take seconds). */
  CONSOLE_GRPC_DEADLINE_MS: envInt({ def: 15_000, min: 100, max: 300_000 }),
  /** Directory of the built SPA; default the build output (dist/apps/console/web, or web/ beside main.js). */
  CONSOLE_STATIC_DIR: envOptionalString(),
  /** Follow model.published on KAFKA_BROKERS for the Models view. */
  CONSOLE_FOLLOW_MODELS: envBool(true),
  /** Interval of SSE keep-alive comments. */
  CONSOLE_SSE_HEARTBEAT_MS: envInt({ def: 15_000, min: 100, max: 600_000 }),
  /** Largest JSON body. */
  CONSOLE_MAX_BODY_BYTES: envInt({ def: 16 * 1024, min: 1_024, max: 1024 * 1024 }),
});

export type ConsoleConfig = z.output<typeof consoleConfigSchema>;

/** The environment with this service's default SERVICE_NAME (the platform schema requires one). */
export function withServiceDefaults(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  return { ...env, SERVICE_NAME: env['SERVICE_NAME']?.trim() || DEFAULT_SERVICE_NAME };
}

/** The model.published group of this process: a broadcast, every console replica sees every event. */
export function modelsGroupId(service: string): string {
  return `${service}.models.${hostname().replace(/[^A-Za-z0-9._-]/g, '-')}-${process.pid}-${randomBytes(3).toString('hex')}`;
}
