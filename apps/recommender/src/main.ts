/**
 * recommender: HTTP and gRPC over libs/recommend. Composes the chassis (config, logs,
 * metrics, health, shutdown) with the service's wiring (recommender.app.ts).
 */
import 'reflect-metadata';
import { HealthRegistry, createLogger, createMetrics, createShutdown, loadConfigOrExit } from '@tuneline/platform';
import { recommenderConfigSchema, withServiceDefaults } from './config';
import { startRecommender } from './recommender.app';

async function main(): Promise<void> {
  const config = loadConfigOrExit(recommenderConfigSchema, withServiceDefaults(process.env));
  const logger = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
  const metrics = createMetrics({ defaultLabels: { service: config.SERVICE_NAME }, collectProcessMetrics: true });
  const health = new HealthRegistry();
  const shutdown = createShutdown({ graceMs: config.SHUTDOWN_GRACE_MS, logger, health });
  const app = await startRecommender(config, { logger, metrics, health });
  shutdown.register('recommender', () => app.close());
}

main().catch((err: unknown) => {
  // Start-up failed (data, model, ports): say why and stop; the orchestrator restarts us.
  process.stderr.write(`recommender failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
