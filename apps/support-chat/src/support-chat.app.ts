/**
 * Wiring of the whole service, in start-up order: intent model (trained from the samples
 * when missing) → repository → knowledge base → sessions → handler → event publisher →
 * HTTP and gRPC → model follower.
 * main.ts composes this with the chassis (config, logger, shutdown); the integration spec
 * starts the same thing on port 0.
 */
import { createBufferedPublisher, createEventProducer, createKafka, kafkaSecurityFromConfig } from '@tuneline/events';
import { ModelRepository, createInferenceMetrics, resolveModelDir, textModelOptionsFromEnv } from '@tuneline/inference';
import { createModelFollower, defaultReplicaId, retryingModelFollower, type ModelFollower, type ModelPublishedTopic } from '@tuneline/model-lifecycle';
import {
  authenticatorFromConfig,
  currentRequestId,
  createGrpcServer,
  readServerTls,
  type GrpcServer,
  type HealthRegistry,
  type Logger,
  type PlatformMetrics,
  runShutdownPlan,
  shutdownBudget,
  type StopStep,
} from '@tuneline/platform';
import { SupportChatHandler } from '@tuneline/support';
import { ensureIntentModel } from './bootstrap/intent-model';
import { buildLanguagePack } from './bootstrap/language-pack';
import { createSessionStore } from './bootstrap/session-store';
import { RepositoryIntentClassifier } from './bootstrap/repository-intent-classifier';
import { Admission } from './chat/admission';
import { SupportChatService } from './chat/support-chat.service';
import { settingsOf, type SupportChatConfig } from './config';
import { bufferedSupportEvents, eventsLoggerOf, NO_EVENTS, SUPPORT_TOPICS, supportEventMetrics, type SupportEvents, type SupportTopics } from './events/support-events';
import { addSupportChatGrpcService } from './grpc/grpc-service';
import { createGrpcSentimentScorer } from './sentiment/grpc-sentiment-scorer';
import { startHttpServer, type HttpServer } from './http/http-server';

/** Health components readiness waits for. */
export const MODEL_COMPONENT = 'model';

export interface SupportChatDeps {
  readonly logger: Logger;
  readonly metrics: PlatformMetrics;
  readonly health: HealthRegistry;
  /** Tests pass uniquely named copies of the topics. */
  readonly modelPublishedTopic?: ModelPublishedTopic;
  readonly supportTopics?: SupportTopics;
}

export interface SupportChat {
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly repository: ModelRepository;
  readonly handler: SupportChatHandler;
  readonly follower: ModelFollower | undefined;
  /**
   * Stops everything within SHUTDOWN_GRACE_MS (libs/platform runShutdownPlan): transports and follower in
   * parallel, then the event flush, then the resources last-started-first.
   */
  close(): Promise<void>;
}

export async function startSupportChat(config: SupportChatConfig, deps: SupportChatDeps): Promise<SupportChat> {
  const { logger, metrics, health } = deps;
  const settings = settingsOf(config);
  const modelEnv = { TUNELINE_CACHE: settings.cacheRoot };
  health.addComponent(MODEL_COMPONENT, { detail: 'intent model and knowledge base loading' });
  // Resources in start-up order; the transports and the events are stopped in their own phases first.
  const stack: StopStep[] = [];
  const transports: StopStep[] = [];
  const eventSteps: StopStep[] = [];
  const close = async () => {
    const plan = { transports: transports.splice(0), events: eventSteps.splice(0), resources: stack.splice(0) };
    await runShutdownPlan(plan, shutdownBudget(config.SHUTDOWN_GRACE_MS), (component, problem, err) =>
      logger.error({ err, component }, problem === 'failed' ? 'stopping failed' : 'stopping overran its share of SHUTDOWN_GRACE_MS; going on'),
    );
  };

  try {
    await ensureIntentModel({
      repoRoot: settings.repoRoot,
      name: settings.intentModel,
      language: settings.language,
      baseModelDir: resolveModelDir(settings.intentBaseModel, modelEnv),
      cacheRoot: settings.cacheRoot,
      trainIfMissing: config.SUPPORT_TRAIN_IF_MISSING,
      logger,
    });
    // The repository serves the intent classifier only, so its cache is the classifier's.
    const modelOptions = { ...textModelOptionsFromEnv(config), metrics: createInferenceMetrics(metrics.registry), responseCacheBytes: config.SUPPORT_RESPONSE_CACHE_BYTES };
    const repository = new ModelRepository({ root: settings.repoRoot, modelOptions, log: (m) => logger.info(m) });
    stack.push({ name: 'repository', stop: () => repository.close() });
    const loaded = await repository.load(settings.intentModel);
    logger.info({ model: loaded.model, version: loaded.version }, 'intent model loaded and warmed up');

    const classifier = new RepositoryIntentClassifier(repository, settings.intentModel);
    const { pack, encoder } = await buildLanguagePack({
      language: settings.language,
      encoderDir: resolveModelDir(settings.encoderModel, modelEnv),
      cacheRoot: settings.cacheRoot,
      classifier,
      modelOptions: textModelOptionsFromEnv(config),
      logger,
    });
    stack.push({ name: 'encoder', stop: () => encoder.dispose() });
    // One encoder pass per turn when the intent model was fine-tuned on the knowledge base's encoder.
    logger.info({ intentBase: classifier.encoderChecksum ?? null, knowledgeEncoder: pack.knowledge.modelChecksum },
      classifier.encoderChecksum === pack.knowledge.modelChecksum ? 'retrieval reuses the intent model\'s embedding (one encoder pass per turn)' : 'retrieval embeds each query itself (intent model on another base, or its graph has no sentence_embedding)');

    const sessions = await createSessionStore({
      ...(config.REDIS_URL ? { redisUrl: config.REDIS_URL } : {}),
      ttlMs: config.SUPPORT_SESSION_TTL_MS,
      maxSessions: config.SUPPORT_MAX_SESSIONS,
      maxSessionChars: config.SUPPORT_MAX_SESSION_CHARS,
      pingIntervalMs: config.SUPPORT_REDIS_PING_INTERVAL_MS,
      health,
      logger,
    });
    stack.push({ name: 'sessions', stop: () => sessions.close() });
    // Negative-sentiment handoff asks the sentiment-monitor's ScoreTexts when configured; without it (or
    // while it fails or is slow) the handler answers without the signal and warns.
    const sentiment = config.SUPPORT_SENTIMENT_GRPC_ADDR ? createGrpcSentimentScorer(config.SUPPORT_SENTIMENT_GRPC_ADDR, config.SUPPORT_SENTIMENT_TIMEOUT_MS) : undefined;
    if (sentiment) {
      stack.push({ name: 'sentiment-client', stop: async () => sentiment.close() });
      logger.info({ address: sentiment.address, timeoutMs: config.SUPPORT_SENTIMENT_TIMEOUT_MS, threshold: config.SUPPORT_NEGATIVE_SENTIMENT_THRESHOLD }, 'negative-sentiment handoff on: ScoreTexts over gRPC');
    } else {
      logger.info('negative-sentiment handoff off (SUPPORT_SENTIMENT_GRPC_ADDR not set)');
    }
    const handler = new SupportChatHandler({
      languages: { [settings.language]: pack },
      store: sessions.store,
      ...(sentiment ? { sentiment: sentiment.scorer } : {}),
      options: settings.options,
      onWarning: (message, context) => logger.warn(context, message),
    });
    // One Kafka client for the follower and the publisher, created only when one of them is on.
    let kafkaClient: ReturnType<typeof createKafka> | undefined;
    const kafka = () => (kafkaClient ??= createKafka({ clientId: config.SERVICE_NAME, brokers: config.KAFKA_BROKERS, logger: eventsLoggerOf(logger, 'kafka'), ...kafkaSecurityFromConfig(config) }));
    let events: SupportEvents = NO_EVENTS;
    if (config.SUPPORT_PUBLISH_EVENTS) {
      const eventMetrics = supportEventMetrics(metrics.registry);
      const producer = createEventProducer(kafka(), { logger: eventsLoggerOf(logger, 'event-producer'), requestId: currentRequestId });
      const publisher = createBufferedPublisher({ producer, metrics: eventMetrics, logger: eventsLoggerOf(logger, 'event-publisher') });
      // Stops after the transports, within its own share of the grace: events of the last turns are flushed
      // (or counted as unsent_at_close) before createShutdown would force the exit.
      eventSteps.push({ name: 'events', stop: async (budgetMs) => (await publisher.close(budgetMs), await producer.disconnect()) });
      events = bufferedSupportEvents(publisher, deps.supportTopics ?? SUPPORT_TOPICS, logger.child({ component: 'events' }), eventMetrics.invalid);
    }
    const service = new SupportChatService(handler, new Admission(config.SUPPORT_MAX_IN_FLIGHT), logger.child({ component: 'chat' }), events);
    const authenticator = authenticatorFromConfig(config);

    const http: HttpServer = await startHttpServer({
      host: config.BIND_HOST,
      port: config.HTTP_PORT,
      maxBodyBytes: config.SUPPORT_MAX_BODY_BYTES,
      retryAfterSeconds: config.SUPPORT_RETRY_AFTER_S,
      service,
      platform: { health, metrics, logger, authenticator },
    });
    transports.push({ name: 'http', stop: () => http.close() });

    const grpc: GrpcServer = createGrpcServer({
      host: config.BIND_HOST,
      port: config.GRPC_PORT,
      maxMessageBytes: config.GRPC_MAX_MESSAGE_BYTES,
      tls: readServerTls(config),
      authenticator,
      retryAfterMs: config.SUPPORT_RETRY_AFTER_S * 1_000,
      metrics,
      logger,
      health,
    });
    addSupportChatGrpcService(grpc, service);
    const grpcPort = await grpc.listen();
    transports.push({ name: 'grpc', stop: (budgetMs) => grpc.shutdown(budgetMs) });

    let follower: ModelFollower | undefined;
    if (config.SUPPORT_FOLLOW_MODELS) {
      // A fresh follower per attempt until one starts (Kafka down at start-up), not one try;
      // one replica id for all of them, so they share one consumer group.
      const replicaId = defaultReplicaId();
      const started = retryingModelFollower(
        () =>
          createModelFollower({
            kafka: kafka(),
            service: config.SERVICE_NAME,
            replicaId,
            models: [settings.intentModel],
            repository,
            registry: metrics.registry,
            logger: eventsLoggerOf(logger, 'model-follower'),
            ...(deps.modelPublishedTopic ? { topic: deps.modelPublishedTopic } : {}),
            ...(config.TUNELINE_KEEP_MODEL_VERSIONS !== undefined ? { keepVersions: config.TUNELINE_KEEP_MODEL_VERSIONS } : {}),
          }),
        { onAttemptFailed: (err, attempt, retryInMs) => logger.warn({ err: err instanceof Error ? err.message : String(err), attempt, retryInMs }, 'model follower did not start; serving the loaded version, retrying') },
      );
      follower = started;
      transports.push({ name: 'model-follower', stop: (budgetMs) => started.stop({ timeoutMs: Math.min(5_000, budgetMs) }) });
      // Kafka being slow or down must not hold up serving: the loaded version keeps serving (isServing).
      started.start().catch((err: unknown) => logger.error({ err }, 'model follower did not start; serving the loaded version without hot swaps'));
    }

    const serving = () => (follower ? follower.isServing() : repository.isReady(settings.intentModel));
    health.setReady(MODEL_COMPONENT, serving(), `model ${settings.intentModel} v${loaded.version}, ${pack.knowledge.size} passages`);
    repository.onSwap((v) => {
      logger.info({ model: v.model, version: v.version }, 'intent model swapped');
      health.setReady(MODEL_COMPONENT, serving(), `model ${v.model} v${v.version}, ${pack.knowledge.size} passages`);
    });
    logger.info({ http: http.port, grpc: grpcPort, language: settings.language, model: settings.intentModel }, 'support-chat ready');
    return { httpPort: http.port, grpcPort, repository, handler, follower, close };
  } catch (err) {
    await close();
    throw err;
  }
}
