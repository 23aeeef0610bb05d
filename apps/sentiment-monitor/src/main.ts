/**
 * sentiment-monitor: scores news.raw and raises sentiment.alerts (two exactly-once Kafka
 * stages), serves gRPC SentimentService and the SSE alert stream. Composes the chassis
 * (config, logs, metrics, health, shutdown) with the service's wiring (sentiment-monitor.app.ts).
 */
import 'reflect-metadata';
import { HealthRegistry, createLogger, createMetrics, createShutdown, loadConfigOrExit } from '@tuneline/platform';
import { sentimentMonitorConfigSchema, withServiceDefaults } from './config';
import { startSentimentMonitor } from './sentiment-monitor.app';

async function main(): Promise<void> {
  const config = loadConfigOrExit(sentimentMonitorConfigSchema, withServiceDefaults(process.env));
  const logger = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
  const metrics = createMetrics({ defaultLabels: { service: config.SERVICE_NAME }, collectProcessMetrics: true });
  const health = new HealthRegistry();
  const shutdown = createShutdown({ graceMs: config.SHUTDOWN_GRACE_MS, logger, health });
  const app = await startSentimentMonitor(config, { logger, metrics, health });
  shutdown.register('sentiment-monitor', () => app.close());
}

main().catch((err: unknown) => {
  // Start-up failed (model, files, Kafka, ports): say why and stop; the orchestrator restarts us.
  process.stderr.write(`sentiment-monitor failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
