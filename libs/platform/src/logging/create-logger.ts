import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { currentRequestId } from './request-context';

export type { Logger } from 'pino';

/**
 * Paths pino replaces with "[redacted]". Covers headers however they are nested
 * (req.headers, metadata, kafka headers) and common secret-bearing fields.
 */
export const REDACT_PATHS = [
  'authorization',
  '["x-api-key"]',
  'apiKey',
  'password',
  'token',
  '*.authorization',
  '*["x-api-key"]',
  '*.apiKey',
  '*.password',
  '*.token',
  '*.*.authorization',
  '*.*["x-api-key"]',
];

export interface LoggerFactoryOptions {
  service: string;
  level?: string;
  /** Where JSON lines go (tests pass a stream); stdout by default. */
  destination?: DestinationStream;
}

/**
 * JSON logger for a service. Every line written inside runWithRequestId()
 * carries `requestId` automatically, so handlers need not thread it through.
 */
export function createLogger(options: LoggerFactoryOptions): Logger {
  const pinoOptions: LoggerOptions = {
    name: options.service,
    level: options.level ?? 'info',
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
    mixin: (_merge, _level, self) => {
      const requestId = currentRequestId();
      // A requestLogger() child already carries its id; don't write the key twice.
      return requestId && self.bindings()['requestId'] === undefined ? { requestId } : {};
    },
  };
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}

/** Child logger bound to a request id, for work that leaves the async context (timers, queues). */
export function requestLogger(logger: Logger, requestId: string | undefined = currentRequestId()): Logger {
  return requestId ? logger.child({ requestId }) : logger;
}
