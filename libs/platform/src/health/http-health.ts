import type { HealthRegistry, Readiness } from './health-registry';

/** A transport-neutral HTTP answer: status code and JSON body. */
export interface HealthHttpResponse {
  status: number;
  body: Record<string, unknown>;
}

/** /healthz: the process is alive (event loop turning). Always 200 while we can answer. */
export function livenessResponse(): HealthHttpResponse {
  return { status: 200, body: { status: 'ok' } };
}

/** /readyz: 200 only when every required component is ready and we are not shutting down, else 503. */
export function readinessResponse(registry: HealthRegistry): HealthHttpResponse {
  const r: Readiness = registry.readiness();
  return {
    status: r.ready ? 200 : 503,
    body: {
      status: r.ready ? 'ready' : r.shuttingDown ? 'shutting-down' : 'not-ready',
      notReady: r.notReady,
      components: r.components,
    },
  };
}
