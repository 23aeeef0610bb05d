import { logLevel, type LogEntry, type logCreator } from 'kafkajs';

/**
 * The slice of a pino logger this library needs. Injected through options so the
 * events lib does not depend on the platform lib; a pino `Logger` fits as is.
 */
export interface EventsLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const noop = (): void => undefined;

/** Default logger: says nothing. */
export const silentLogger: EventsLogger = { debug: noop, info: noop, warn: noop, error: noop };

/** Routes KafkaJS's own log lines into an {@link EventsLogger}, keeping their fields. */
export function kafkaLogCreator(logger: EventsLogger): logCreator {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      // Keep KafkaJS's structured fields; its timestamp and logger name are noise here.
      const extra = Object.fromEntries(Object.entries(log).filter(([k]) => !['message', 'timestamp', 'logger'].includes(k)));
      const fields = { component: 'kafkajs', namespace, ...extra };
      const message = log.message;
      switch (level) {
        case logLevel.ERROR:
          logger.error(fields, message);
          break;
        case logLevel.WARN:
          logger.warn(fields, message);
          break;
        case logLevel.INFO:
          logger.info(fields, message);
          break;
        default:
          logger.debug(fields, message);
      }
    };
}
