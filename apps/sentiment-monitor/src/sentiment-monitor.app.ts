/**
 * Wiring of the whole service, in start-up order: sentiment model (trained from the sample
 * when missing) → repository → watch-list, topics and the topic scorer → the read side
 * (AlertHub and EntitySentimentView fed per replica) → the two exactly-once stages (score,
 * windows) → HTTP and gRPC → model follower.
 * main.ts composes this with the chassis (config, logger, shutdown); the integration specs
 * start the same thing on port 0 with uniquely named topics.
 */
import { createKafka, ensureTopics, kafkaSecurityFromConfig, errorMessage, type ConsumerTuning, type TransactionalStage } from '@tuneline/events';
import { ModelRepository, createInferenceMetrics, resolveModelDir, textModelOptionsFromEnv } from '@tuneline/inference';
import { createModelFollower, retryingModelFollower, type ModelFollower } from '@tuneline/model-lifecycle';
import {
  authenticatorFromConfig,
  createGrpcServer,
  readServerTls,
  runShutdownPlan,
  type GrpcServer,
  type HealthRegistry,
  type Logger,
  type PlatformMetrics,
  type StopStep,
} from '@tuneline/platform';
import { EntityMatcher, createSimilarityTopicScorer, loadTopicsFile, loadWatchListFile } from '@tuneline/sentiment';
import { ensureSentimentModel } from './bootstrap/sentiment-model';
import { settingsOf, type SentimentMonitorConfig } from './config';
import { eventsLoggerOf } from './events-logger';
import { addSentimentGrpcService } from './grpc/grpc-service';
import { startHttpServer, type HttpServer } from './http/http-server';
import { createSentimentMetrics } from './metrics';
import { createScoreStage } from './pipeline/score-stage';
import { SENTIMENT_TOPICS, type SentimentTopics } from './pipeline/sentiment-topics';
import { createWindowsStage } from './pipeline/windows-stage';
import { checkSentimentModel, SentimentModel, type TopicScorerFactory } from './scoring/sentiment-model';
import { createSentimentServing, type SentimentServing } from './serving/sentiment-serving';
import { sentimentShutdownBudget } from './shutdown-budget';

/** Health components: readiness waits for the model and both stages; the feeds are reported only. */
export const MODEL_COMPONENT = 'model';
export const PIPELINE_COMPONENT = 'pipeline';
export const FEEDS_COMPONENT = 'feeds';
/** How often readiness re-reads the stages' and feeds' states. */
const HEALTH_POLL_MS = 1_000;

export interface SentimentMonitorDeps {
  readonly logger: Logger;
  readonly metrics: PlatformMetrics;
  readonly health: HealthRegistry;
  /** Tests pass uniquely named copies of the topics. */
  readonly topics?: SentimentTopics;
  /** Tests may pass another topic scorer factory (default: embedding similarity). */
  readonly topicScorer?: TopicScorerFactory;
  /** Consumer group timing of the stages, feeds and follower (tests: short sessions, so a killed member is noticed in seconds). */
  readonly consumer?: ConsumerTuning;
}

export interface SentimentMonitor {
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly repository: ModelRepository;
  readonly serving: SentimentServing;
  readonly stages: { readonly score: TransactionalStage; readonly windows: TransactionalStage };
  readonly follower: ModelFollower | undefined;
  /** Stops everything within SHUTDOWN_GRACE_MS (shutdown-budget.ts). */
  close(): Promise<void>;
}

export async function startSentimentMonitor(config: SentimentMonitorConfig, deps: SentimentMonitorDeps): Promise<SentimentMonitor> {
  const { logger, metrics, health } = deps;
  const settings = settingsOf(config);
  const topics = deps.topics ?? SENTIMENT_TOPICS;
  const service = config.SERVICE_NAME;
  health.addComponent(MODEL_COMPONENT, { detail: 'sentiment model loading' });
  health.addComponent(PIPELINE_COMPONENT, { detail: 'stages starting' });
  health.addComponent(FEEDS_COMPONENT, { required: false, detail: 'alert and scored feeds starting' });
  const running: StopStep[] = [];
  const resources: StopStep[] = [];
  const close = async () => {
    const plan = { transports: running.splice(0), events: [], resources: resources.splice(0) };
    await runShutdownPlan(plan, sentimentShutdownBudget(config.SHUTDOWN_GRACE_MS), (component, problem, err) =>
      logger.error({ err, component }, problem === 'failed' ? 'stopping failed' : 'stopping overran its share of SHUTDOWN_GRACE_MS; going on'),
    );
  };

  try {
    await ensureSentimentModel({
      repoRoot: settings.repoRoot,
      name: settings.model,
      dataFile: settings.trainFile,
      baseModelDir: resolveModelDir(settings.baseModel, { TUNELINE_CACHE: settings.cacheRoot }),
      cacheRoot: settings.cacheRoot,
      trainIfMissing: config.SENTIMENT_TRAIN_IF_MISSING,
      logger,
    });
    const modelOptions = { ...textModelOptionsFromEnv(config), metrics: createInferenceMetrics(metrics.registry) };
    const repository = new ModelRepository({ root: settings.repoRoot, modelOptions, log: (m) => logger.info(m) });
    resources.push({ name: 'repository', stop: () => repository.close() });
    const loaded = await repository.load(settings.model, undefined, { validate: checkSentimentModel });
    logger.info({ model: loaded.model, version: loaded.version, provider: loaded.textModel.provider }, 'sentiment model loaded and warmed up');

    const matcher = new EntityMatcher(loadWatchListFile(settings.watchListFile));
    const topicDefinitions = loadTopicsFile(settings.topicsFile);
    const model = new SentimentModel(repository, settings.model, topicDefinitions, deps.topicScorer ?? ((t, embed) => createSimilarityTopicScorer(t, embed)));
    await model.warmUp();
    logger.info({ watchList: settings.watchListFile, topics: topicDefinitions.map((t) => t.name), method: 'embedding-similarity' }, 'enrichment ready');

    const sentimentMetrics = createSentimentMetrics(metrics.registry);
    const kafka = createKafka({ clientId: `${service}.${settings.instanceId}`, brokers: config.KAFKA_BROKERS, logger: eventsLoggerOf(logger, 'kafka'), ...kafkaSecurityFromConfig(config) });
    const scoreGroup = `${service}.score`;
    const windowsGroup = `${service}.windows`;
    // The stages check their topics exist; their dead-letter topics are theirs to create.
    await ensureTopics(kafka, [], { dlqGroups: [scoreGroup, windowsGroup] }).catch((err: unknown) =>
      logger.warn({ err: errorMessage(err) }, 'could not create the stages\' dead-letter topics; the stages will say which is missing'),
    );

    const serving = createSentimentServing({
      kafka,
      service,
      instanceId: settings.instanceId,
      topics,
      logger: eventsLoggerOf(logger, 'feeds'),
      ...(deps.consumer ? { consumer: deps.consumer } : {}),
      onRejected: (feed) => sentimentMetrics.feedRejected(feed),
    });
    sentimentMetrics.watchServing({ hubStats: () => serving.hub.stats(), viewStats: () => serving.view.stats() });
    running.push({ name: 'feeds', stop: (budgetMs) => serving.stop(budgetMs) });
    await serving.start();

    const transactionalIdPrefix = service;
    const score = createScoreStage({
      kafka,
      groupId: scoreGroup,
      transactionalIdPrefix,
      topics,
      model,
      matcher,
      maxTextChars: config.SENTIMENT_MAX_TEXT_CHARS,
      maxFutureMs: config.SENTIMENT_MAX_FUTURE_MS,
      maxBatchRecords: config.SENTIMENT_STAGE_MAX_BATCH,
      logger: eventsLoggerOf(logger, 'score-stage'),
      ...(deps.consumer ? { consumer: deps.consumer } : {}),
      metrics: sentimentMetrics.stage('score'),
    });
    const windows = createWindowsStage({
      kafka,
      groupId: windowsGroup,
      transactionalIdPrefix,
      topics,
      alerting: settings.alerting,
      // Window events are tiny and the engine is fast: bigger transactions, fewer commits.
      maxBatchRecords: 500,
      logger: eventsLoggerOf(logger, 'windows-stage'),
      ...(deps.consumer ? { consumer: deps.consumer } : {}),
      metrics: sentimentMetrics.stage('windows'),
    });
    sentimentMetrics.watchEngines(windows);
    running.push({ name: 'score-stage', stop: (budgetMs) => score.stop({ timeoutMs: budgetMs }) });
    running.push({ name: 'windows-stage', stop: (budgetMs) => windows.stage.stop({ timeoutMs: budgetMs }) });
    await Promise.all([score.start(), windows.stage.start()]);

    const authenticator = authenticatorFromConfig(config);
    const http: HttpServer = await startHttpServer({
      host: config.BIND_HOST,
      port: config.HTTP_PORT,
      retryAfterSeconds: config.SENTIMENT_RETRY_AFTER_S,
      alerts: { hub: serving.hub, heartbeatMs: config.SENTIMENT_SSE_HEARTBEAT_MS },
      platform: { health, metrics, logger, authenticator },
    });
    running.push({ name: 'http', stop: () => http.close() });

    const grpc: GrpcServer = createGrpcServer({
      host: config.BIND_HOST,
      port: config.GRPC_PORT,
      maxMessageBytes: config.GRPC_MAX_MESSAGE_BYTES,
      tls: readServerTls(config),
      authenticator,
      retryAfterMs: config.SENTIMENT_RETRY_AFTER_S * 1_000,
      metrics,
      logger,
      health,
    });
    addSentimentGrpcService(grpc, {
      scoring: {
        model,
        isReady: () => repository.isReady(settings.model),
        limits: { maxTexts: config.SENTIMENT_SCORE_BATCH_LIMIT, maxTextChars: config.SENTIMENT_MAX_TEXT_CHARS },
      },
      hub: serving.hub,
      view: serving.view,
    });
    const grpcPort = await grpc.listen();
    running.push({ name: 'grpc', stop: (budgetMs) => grpc.shutdown(budgetMs) });

    let follower: ModelFollower | undefined;
    if (config.SENTIMENT_FOLLOW_MODELS) {
      // A fresh follower per attempt until one starts (Kafka down at start-up), not one try.
      const started = retryingModelFollower(
        () =>
          createModelFollower({
            kafka,
            service,
            replicaId: settings.instanceId,
            models: [settings.model],
            repository,
            registry: metrics.registry,
            // Labels must stay exactly negative/neutral/positive and the graph must keep its sentence embedding.
            labelPolicy: 'same',
            validate: (candidate) => checkSentimentModel(candidate),
            logger: eventsLoggerOf(logger, 'model-follower'),
            topic: topics.modelPublished,
            ...(deps.consumer ? { consumer: deps.consumer } : {}),
            ...(config.TUNELINE_KEEP_MODEL_VERSIONS !== undefined ? { keepVersions: config.TUNELINE_KEEP_MODEL_VERSIONS } : {}),
          }),
        { onAttemptFailed: (err, attempt, retryInMs) => logger.warn({ err: err instanceof Error ? err.message : String(err), attempt, retryInMs }, 'model follower did not start; serving the loaded version, retrying') },
      );
      follower = started;
      running.push({ name: 'model-follower', stop: (budgetMs) => started.stop({ timeoutMs: Math.min(5_000, budgetMs) }) });
      // Kafka being slow or down must not hold up serving: the loaded version keeps serving.
      started.start().catch((err: unknown) => logger.error({ err }, 'model follower did not start; serving the loaded version without hot swaps'));
    }
    repository.onSwap((v) => {
      if (v.model === settings.model) logger.info({ model: v.model, version: v.version }, 'sentiment model swapped');
    });

    const refreshHealth = () => {
      const version = repository.currentVersion(settings.model);
      health.setReady(MODEL_COMPONENT, version !== undefined, version ? `model ${settings.model} v${version}` : 'sentiment model not loaded');
      const stagesUp = score.isHealthy() && windows.stage.isHealthy();
      health.setReady(PIPELINE_COMPONENT, stagesUp, `score ${score.state} [${score.assignedPartitions().join(',')}], windows ${windows.stage.state} [${windows.stage.assignedPartitions().join(',')}]`);
      health.setReady(FEEDS_COMPONENT, serving.isFollowing(), `alerts ${serving.alertsGroupId}, scored ${serving.scoredGroupId}`);
    };
    refreshHealth();
    const poll = setInterval(refreshHealth, HEALTH_POLL_MS);
    poll.unref();
    running.unshift({ name: 'health-poll', stop: async () => clearInterval(poll) });

    logger.info({ http: http.port, grpc: grpcPort, model: settings.model, instance: settings.instanceId }, 'sentiment-monitor ready');
    return { httpPort: http.port, grpcPort, repository, serving, stages: { score, windows: windows.stage }, follower, close };
  } catch (err) {
    await close();
    throw err;
  }
}
