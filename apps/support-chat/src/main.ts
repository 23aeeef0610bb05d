/**
 * support-chat: HTTP/SSE and gRPC over libs/support. Composes the chassis (config, logs,
 * metrics, health, shutdown) with the service's wiring (support-chat.app.ts).
 */
import 'reflect-metadata';
import { HealthRegistry, createLogger, createMetrics, createShutdown, loadConfigOrExit } from '@tuneline/platform';
import { supportChatConfigSchema, withServiceDefaults } from './config';
import { startSupportChat } from './support-chat.app';

async function main(): Promise<void> {
  const config = loadConfigOrExit(supportChatConfigSchema, withServiceDefaults(process.env));
  const logger = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
  const metrics = createMetrics({ defaultLabels: { service: config.SERVICE_NAME }, collectProcessMetrics: true });
  const health = new HealthRegistry();
  const shutdown = createShutdown({ graceMs: config.SHUTDOWN_GRACE_MS, logger, health });
  const app = await startSupportChat(config, { logger, metrics, health });
  shutdown.register('support-chat', () => app.close());
}

main().catch((err: unknown) => {
  // Start-up failed (model, content, ports): say why and stop; the orchestrator restarts us.
  process.stderr.write(`support-chat failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
