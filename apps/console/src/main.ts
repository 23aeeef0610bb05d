/**
 * console: the web console's backend-for-frontend (NestJS) over the three services' gRPC
 * APIs, serving the built SPA. Composes the chassis (config, logs, metrics, health, shutdown)
 * with the wiring (console.app.ts).
 */
import 'reflect-metadata';
import { HealthRegistry, createLogger, createMetrics, createShutdown, loadConfigOrExit } from '@tuneline/platform';
import { consoleConfigSchema, withServiceDefaults } from './config';
import { startConsole } from './console.app';

async function main(): Promise<void> {
  const config = loadConfigOrExit(consoleConfigSchema, withServiceDefaults(process.env));
  const logger = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
  const metrics = createMetrics({ defaultLabels: { service: config.SERVICE_NAME }, collectProcessMetrics: true });
  const health = new HealthRegistry();
  const shutdown = createShutdown({ graceMs: config.SHUTDOWN_GRACE_MS, logger, health });
  const app = await startConsole(config, { logger, metrics, health });
  shutdown.register('console', () => app.close());
}

main().catch((err: unknown) => {
  process.stderr.write(`console failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
