import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type Transport = 'grpc' | 'http' | 'kafka';
type RequestLabels = 'transport' | 'method' | 'code';

/** Latency buckets in seconds: 1 ms .. 10 s, dense where inference latencies live. */
export const DEFAULT_LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface MetricsOptions {
  /** Added to every series, e.g. { service: 'support-chat' }. */
  defaultLabels?: Record<string, string>;
  /** Process CPU/memory/event-loop metrics; off in tests to keep them fast. */
  collectProcessMetrics?: boolean;
  prefix?: string;
}

export interface PlatformMetrics {
  /** This process's own registry; libs register their metrics here, never on prom-client's global one. */
  readonly registry: Registry;
  readonly requestLatency: Histogram<RequestLabels>;
  readonly errorsTotal: Counter<RequestLabels>;
  /** Records one finished request: latency always, an error when code is not OK. */
  observeRequest(transport: Transport, method: string, code: string, seconds: number): void;
  /** Prometheus text exposition for /metrics. */
  render(): Promise<string>;
  readonly contentType: string;
}

export function createMetrics(options: MetricsOptions = {}): PlatformMetrics {
  const prefix = options.prefix ?? 'tuneline_';
  const registry = new Registry();
  if (options.defaultLabels) registry.setDefaultLabels(options.defaultLabels);
  if (options.collectProcessMetrics) collectDefaultMetrics({ register: registry });

  const requestLatency = new Histogram<RequestLabels>({
    name: `${prefix}request_duration_seconds`,
    help: 'Time to serve a request, by transport, method and status code',
    labelNames: ['transport', 'method', 'code'],
    buckets: DEFAULT_LATENCY_BUCKETS,
    registers: [registry],
  });
  const errorsTotal = new Counter<RequestLabels>({
    name: `${prefix}errors_total`,
    help: 'Requests that ended with a non-OK status, by transport, method and status code',
    labelNames: ['transport', 'method', 'code'],
    registers: [registry],
  });

  return {
    registry,
    requestLatency,
    errorsTotal,
    observeRequest(transport, method, code, seconds) {
      requestLatency.observe({ transport, method, code }, seconds);
      if (code !== 'OK') errorsTotal.inc({ transport, method, code });
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
