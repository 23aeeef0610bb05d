/**
 * Wiring: gRPC clients of the three services, the alert hub (one upstream stream), the
 * model.published follower, and the HTTP server. Readiness means the console can serve its
 * page and API: the services being down is shown in the page (/api/status), not by taking
 * the console out of rotation.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AlertHub, ConsoleFacade, createGrpcBackends, createModelsFollower, ModelsTracker, type ConsoleBackends } from '@tuneline/console';
import { createKafka, kafkaSecurityFromConfig, type ConsumerRunner } from '@tuneline/events';
import type { HealthRegistry, Logger, PlatformMetrics } from '@tuneline/platform';
import { modelsGroupId, type ConsoleConfig } from './config';
import { startHttpServer } from './http/http-server';

export interface ConsoleDeps {
  readonly logger: Logger;
  readonly metrics: PlatformMetrics;
  readonly health: HealthRegistry;
  /** Replaces the gRPC backends (specs). */
  readonly backends?: ConsoleBackends;
}

export interface RunningConsole {
  readonly port: number;
  close(): Promise<void>;
}

const HTTP_COMPONENT = 'http';
const MODELS_COMPONENT = 'model-events';

/** The built SPA: CONSOLE_STATIC_DIR, else web/ beside the running main.js (production build), else the workspace build output. */
export function staticDirOf(config: ConsoleConfig): string | undefined {
  if (config.CONSOLE_STATIC_DIR) return config.CONSOLE_STATIC_DIR;
  const candidates = [join(__dirname, 'web'), resolve(__dirname, '../../../dist/apps/console/web')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

export async function startConsole(config: ConsoleConfig, deps: ConsoleDeps): Promise<RunningConsole> {
  const { logger, health } = deps;
  health.addComponent(HTTP_COMPONENT, { detail: 'starting' });
  health.addComponent(MODELS_COMPONENT, { required: false, detail: config.CONSOLE_FOLLOW_MODELS ? 'starting' : 'off (CONSOLE_FOLLOW_MODELS=false)' });
  const backends =
    deps.backends ??
    createGrpcBackends({
      targets: { 'support-chat': config.SUPPORT_CHAT_GRPC_URL, 'sentiment-monitor': config.SENTIMENT_GRPC_URL, recommender: config.RECOMMENDER_GRPC_URL },
      deadlineMs: config.CONSOLE_GRPC_DEADLINE_MS,
      client: { maxMessageBytes: config.GRPC_MAX_MESSAGE_BYTES },
    });
  const models = new ModelsTracker();
  const hub = new AlertHub({ backend: backends.sentiment });
  // Logged on changes only: while sentiment-monitor is down the hub retries every few seconds.
  hub.subscribeState((state) =>
    state.up ? logger.info('alert stream from sentiment-monitor open') : logger.warn({ detail: state.detail }, 'alert stream from sentiment-monitor down; reconnecting'),
  );
  hub.start();

  let follower: ConsumerRunner | undefined;
  if (config.CONSOLE_FOLLOW_MODELS) {
    const kafka = createKafka({ clientId: `${config.SERVICE_NAME}.models`, brokers: config.KAFKA_BROKERS, ...kafkaSecurityFromConfig(config) });
    follower = createModelsFollower({ kafka, groupId: modelsGroupId(config.SERVICE_NAME), tracker: models });
    // In the background: the page works without Kafka, only the Models view's events wait for it.
    follower.start().then(
      () => health.setReady(MODELS_COMPONENT, true, `following model.published as ${follower?.groupId}`),
      (err: unknown) => {
        health.setReady(MODELS_COMPONENT, false, `model.published follower failed: ${err instanceof Error ? err.message : String(err)}`);
        logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'model.published follower failed to start');
      },
    );
  }

  const staticDir = staticDirOf(config);
  if (!staticDir) logger.warn('console SPA not built (no index.html found): serving the API only');
  const server = await startHttpServer({
    host: config.BIND_HOST,
    port: config.HTTP_PORT,
    maxBodyBytes: config.CONSOLE_MAX_BODY_BYTES,
    staticDir,
    platform: { health, metrics: deps.metrics, logger },
    facade: new ConsoleFacade(backends, hub, models),
    hub,
    models,
    sseHeartbeatMs: config.CONSOLE_SSE_HEARTBEAT_MS,
  });
  health.setReady(HTTP_COMPONENT, true, `listening on ${server.port}${staticDir ? `, SPA from ${staticDir}` : ', no SPA'}`);
  logger.info({ port: server.port, staticDir }, 'console ready');
  return {
    port: server.port,
    async close() {
      await hub.stop();
      await server.close();
      await follower?.stop().catch(() => undefined);
      backends.close();
    },
  };
}
