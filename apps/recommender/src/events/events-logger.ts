/** The platform logger as libs/events' logger interface, per component. */
import type { EventsLogger } from '@tuneline/events';
import type { Logger } from '@tuneline/platform';

export function eventsLoggerOf(logger: Logger, component: string): EventsLogger {
  const child = logger.child({ component });
  return {
    debug: (o, m) => child.debug(o, m),
    info: (o, m) => child.info(o, m),
    warn: (o, m) => child.warn(o, m),
    error: (o, m) => child.error(o, m),
  };
}
