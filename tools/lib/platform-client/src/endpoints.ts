/**
 * Where the running platform listens, from the same variables tools/up.sh reads
 * (<APP>_HTTP_PORT / <APP>_GRPC_PORT, KAFKA_BROKERS or KAFKA_PORT), with the documented defaults.
 * The demo and the e2e test use it, so both talk to whatever `npm start` started.
 */
export interface ServiceEndpoint {
  /** e.g. http://127.0.0.1:8081 */
  readonly http: string;
  /** e.g. 127.0.0.1:50061 */
  readonly grpc: string;
}

export interface PlatformEndpoints {
  readonly supportChat: ServiceEndpoint;
  readonly sentiment: ServiceEndpoint;
  readonly recommender: ServiceEndpoint;
  readonly consoleHttp: string;
  readonly kafkaBrokers: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function port(env: Env, name: string, def: number): number {
  const raw = env[name]?.trim();
  if (!raw) return def;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65_535) throw new Error(`${name} must be a port number (1-65535), got "${raw}"`);
  return value;
}

function service(env: Env, prefix: string, httpDefault: number, grpcDefault: number): ServiceEndpoint {
  return {
    http: `http://127.0.0.1:${port(env, `${prefix}_HTTP_PORT`, httpDefault)}`,
    grpc: `127.0.0.1:${port(env, `${prefix}_GRPC_PORT`, grpcDefault)}`,
  };
}

export function endpointsFromEnv(env: Env = process.env): PlatformEndpoints {
  return {
    supportChat: service(env, 'SUPPORT_CHAT', 8081, 50061),
    sentiment: service(env, 'SENTIMENT_MONITOR', 8082, 50062),
    recommender: service(env, 'RECOMMENDER', 8083, 50063),
    consoleHttp: `http://127.0.0.1:${port(env, 'CONSOLE_HTTP_PORT', 8080)}`,
    kafkaBrokers: env['TUNELINE_EXTERNAL_KAFKA']?.trim() || env['KAFKA_BROKERS']?.trim() || `127.0.0.1:${port(env, 'KAFKA_PORT', 9092)}`,
  };
}
