/**
 * Wiring of the whole service, in start-up order: item encoder and catalog (the data
 * directory) → ranking head (trained from the data's interactions when the repository has
 * none) and serving state → model repository → profile store (memory or Redis) and seeded
 * profiles → libs/recommend's Recommender → HTTP and gRPC → Kafka consumers (user.events,
 * catalog.items) and the model follower, both in the background: Kafka being slow or down
 * never holds up serving.
 * main.ts composes this with the chassis (config, logger, shutdown); the integration specs
 * start the same thing on port 0 with uniquely named topics.
 */
import { createEventProducer, createKafka, ensureTopics, errorMessage, kafkaSecurityFromConfig, retriedStart, type ConsumerTuning } from '@tuneline/events';
import { ModelRepository, createInferenceMetrics, resolveModelDir, textModelOptionsFromEnv } from '@tuneline/inference';
import { createModelFollower, retryingModelFollower, type ModelFollower } from '@tuneline/model-lifecycle';
import {
  authenticatorFromConfig,
  createGrpcServer,
  currentRequestId,
  readServerTls,
  type GrpcServer,
  type HealthRegistry,
  type Logger,
  type PlatformMetrics,
  runShutdownPlan,
  shutdownBudget,
  type StopStep,
} from '@tuneline/platform';
import { Recommender, RepositoryRanker, emptyProfile, type ItemCatalog } from '@tuneline/recommend';
import { startCatalog } from './bootstrap/catalog';
import { createProfileStore } from './bootstrap/profile-store';
import { checkRankerVersion, ensureRanker } from './bootstrap/ranker-model';
import { seedProfiles } from './bootstrap/seed-profiles';
import { recentLikedItems, warmTextNeighbours } from './bootstrap/warm-neighbours';
import { rulesOf, settingsOf, type RecommenderConfig } from './config';
import { createRecommenderConsumers, groupIdsOf, type EventSinks, type RecommenderConsumers } from './events/consumers';
import { eventsLoggerOf } from './events/events-logger';
import { FeedbackRecorder } from './events/feedback-recorder';
import { RecentHistory } from './events/recent-history';
import { RECOMMENDER_TOPICS, type RecommenderTopics } from './events/recommender-topics';
import { addRecommenderGrpcService } from './grpc/grpc-service';
import { startHttpServer, type HttpServer } from './http/http-server';
import { createRecommenderMetrics } from './metrics';
import { Admission } from './ranking/admission';
import { RecommenderEngine } from './ranking/engine';
import { RecommenderService } from './ranking/recommender.service';

/** Health components: readiness waits for the model (and Redis when configured); the consumers are reported only. */
export const MODEL_COMPONENT = 'model';
export const EVENTS_COMPONENT = 'events';
const HEALTH_POLL_MS = 1_000;

export interface RecommenderDeps {
  readonly logger: Logger;
  readonly metrics: PlatformMetrics;
  readonly health: HealthRegistry;
  /** Tests pass uniquely named copies of the topics. */
  readonly topics?: RecommenderTopics;
  /** Consumer group timing of the consumers and the follower (tests: short sessions). */
  readonly consumer?: ConsumerTuning;
}

export interface RecommenderApp {
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly repository: ModelRepository;
  readonly catalog: ItemCatalog;
  readonly recommender: Recommender;
  readonly consumers: RecommenderConsumers | undefined;
  readonly follower: ModelFollower | undefined;
  /**
   * Resolves once the consumers and the follower have started; both are retried until they
   * start (Kafka down at start-up) or the app closes, so with Kafka down it waits.
   */
  readonly background: Promise<void>;
  /** Stops everything within SHUTDOWN_GRACE_MS (libs/platform runShutdownPlan). */
  close(): Promise<void>;
}

export async function startRecommender(config: RecommenderConfig, deps: RecommenderDeps): Promise<RecommenderApp> {
  const { logger, metrics, health } = deps;
  const settings = settingsOf(config);
  const topics = deps.topics ?? RECOMMENDER_TOPICS;
  const service = config.SERVICE_NAME;
  health.addComponent(MODEL_COMPONENT, { detail: 'catalog and ranking head loading' });
  health.addComponent(EVENTS_COMPONENT, { required: false, detail: config.RECOMMEND_CONSUME_EVENTS ? 'consumers starting' : 'off (RECOMMEND_CONSUME_EVENTS=false)' });
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
    const modelOptions = { ...textModelOptionsFromEnv(config), metrics: createInferenceMetrics(metrics.registry) };
    const { catalog, encoder, interactions } = await startCatalog({
      encoderDir: resolveModelDir(settings.encoderModel, { TUNELINE_CACHE: settings.cacheRoot }),
      dataDir: settings.dataDir,
      cacheRoot: settings.cacheRoot,
      modelOptions: textModelOptionsFromEnv(config),
      logger,
    });
    stack.push({ name: 'encoder', stop: () => encoder.dispose() });

    const { state, trained } = await ensureRanker({
      repoRoot: settings.repoRoot,
      name: settings.rankerModel,
      catalog,
      interactions,
      trainIfMissing: config.RECOMMEND_TRAIN_IF_MISSING,
      source: settings.dataDir,
      logger,
    });
    const repository = new ModelRepository({ root: settings.repoRoot, modelOptions, log: (m) => logger.info(m) });
    stack.push({ name: 'repository', stop: () => repository.close() });
    const loaded = await repository.load(settings.rankerModel, undefined, { validate: checkRankerVersion });
    logger.info({ model: loaded.model, version: loaded.version, provider: loaded.textModel.provider }, 'ranking head loaded and warmed up');

    const profiles = await createProfileStore({
      ...(config.REDIS_URL ? { redisUrl: config.REDIS_URL } : {}),
      keyPrefix: config.RECOMMEND_REDIS_KEY_PREFIX,
      ttlMs: config.RECOMMEND_PROFILE_TTL_MS,
      maxProfiles: config.RECOMMEND_MAX_PROFILES,
      pingIntervalMs: config.RECOMMEND_REDIS_PING_INTERVAL_MS,
      health,
      logger,
    });
    stack.push({ name: 'profiles', stop: () => profiles.close() });
    if (config.RECOMMEND_SEED_PROFILES) {
      // A Redis outage at start must not stop the service: the users are cold until it is back.
      await seedProfiles(profiles.store, state.profiles).then(
        (r) => logger.info(r, 'profiles seeded from the data directory'),
        (err: unknown) => logger.warn({ err: errorMessage(err) }, 'profiles not seeded (store unavailable)'),
      );
    }

    const recommender = new Recommender({
      catalog,
      profiles: profiles.store,
      ranker: new RepositoryRanker(repository, settings.rankerModel),
      collaborative: state.collaborative,
      popularity: state.popularity,
      textNeighbours: state.textNeighbours,
      rules: rulesOf(config),
      limits: { maxCandidates: config.RECOMMEND_MAX_CANDIDATES, maxK: config.RECOMMEND_MAX_K },
      maxFutureMs: config.RECOMMEND_MAX_FUTURE_MS,
      inlineCacheItems: config.RECOMMEND_INLINE_CACHE_ITEMS,
    });
    const engine = new RecommenderEngine({ recommender, modelName: settings.rankerModel, maxK: config.RECOMMEND_MAX_K });
    const serviceMetrics = createRecommenderMetrics(metrics.registry);
    serviceMetrics.watch({ catalogSize: () => catalog.size });

    const kafka = createKafka({ clientId: `${service}.${settings.instanceId}`, brokers: config.KAFKA_BROKERS, logger: eventsLoggerOf(logger, 'kafka'), ...kafkaSecurityFromConfig(config) });
    const producer = createEventProducer(kafka, { logger: eventsLoggerOf(logger, 'feedback-producer'), requestId: currentRequestId });
    eventSteps.push({ name: 'feedback-producer', stop: () => producer.disconnect() });
    const feedback = new FeedbackRecorder({ producer, topic: topics.userEvents, dedupe: profiles.dedupe, dedupeMs: config.RECOMMEND_FEEDBACK_DEDUPE_MS, maxFutureMs: config.RECOMMEND_MAX_FUTURE_MS });
    const limits = { maxCandidates: config.RECOMMEND_MAX_CANDIDATES, maxK: config.RECOMMEND_MAX_K, defaultK: config.RECOMMEND_DEFAULT_K };
    const recommenderService = new RecommenderService(engine, new Admission(config.RECOMMEND_MAX_IN_FLIGHT), limits, logger.child({ component: 'ranking' }), feedback);
    const authenticator = authenticatorFromConfig(config);

    const http: HttpServer = await startHttpServer({
      host: config.BIND_HOST,
      port: config.HTTP_PORT,
      maxBodyBytes: config.RECOMMEND_MAX_BODY_BYTES,
      retryAfterSeconds: config.RECOMMEND_RETRY_AFTER_S,
      service: recommenderService,
      platform: { health, metrics, logger, authenticator },
    });
    transports.push({ name: 'http', stop: () => http.close() });
    const grpc: GrpcServer = createGrpcServer({
      host: config.BIND_HOST,
      port: config.GRPC_PORT,
      maxMessageBytes: config.GRPC_MAX_MESSAGE_BYTES,
      tls: readServerTls(config),
      authenticator,
      retryAfterMs: config.RECOMMEND_RETRY_AFTER_S * 1_000,
      metrics,
      logger,
      health,
    });
    addRecommenderGrpcService(grpc, recommenderService);
    const grpcPort = await grpc.listen();
    transports.push({ name: 'grpc', stop: (budgetMs) => grpc.shutdown(budgetMs) });

    let consumers: RecommenderConsumers | undefined;
    const starting: Promise<void>[] = [];
    if (config.RECOMMEND_CONSUME_EVENTS) {
      const history = new RecentHistory();
      // Shared profiles (Redis): the shared group writes each event once; every replica's feed counts it.
      // Per-replica profiles (memory): every replica applies every event itself, from its feed.
      const sinks: EventSinks =
        profiles.scope === 'shared'
          ? {
              profile: async (event, position) => void (await recommender.updateProfile(event, position)),
              signals: async (event, position) => {
                const seen = await history.next(event, async () => (await profiles.store.get(event.userId))?.seen, position);
                // undefined: a redelivered record, already counted by this replica.
                if (seen !== undefined) recommender.observeEvent(event, { ...emptyProfile(event.userId, catalog.dim), seen });
              },
              catalog: async (item) => void (await catalog.upsert(item)),
            }
          : { signals: async (event, position) => void (await recommender.recordEvent(event, position)), catalog: async (item) => void (await catalog.upsert(item)) };
      // A fresh set per attempt: with Kafka down at start (a cluster restart) one failed start
      // used to leave this replica consuming nothing until it restarted, while it stayed ready.
      const attempt = () => {
        const set = createRecommenderConsumers({
          kafka,
          service,
          instanceId: settings.instanceId,
          topics,
          sinks,
          metrics: serviceMetrics,
          logger: eventsLoggerOf(logger, 'consumers'),
          maxFutureMs: config.RECOMMEND_MAX_FUTURE_MS,
          catalogCatchUpMs: config.RECOMMEND_CATALOG_CATCHUP_MS,
          ...(deps.consumer ? { consumer: deps.consumer } : {}),
        });
        return {
          set,
          start: async () => {
            // The shared group's dead-letter topic is ours to create; the runner checks it exists.
            await ensureTopics(kafka, [], { dlqGroups: [groupIdsOf(service, settings.instanceId, 'x').shared] }).catch((err: unknown) =>
              logger.warn({ err: errorMessage(err) }, 'could not create the dead-letter topic; the shared consumer will say it is missing'),
            );
            await set.start();
          },
          stop: (timeoutMs: number) => set.stop(timeoutMs),
        };
      };
      const attempts = retriedStart({
        create: attempt,
        onAttemptFailed: (err, n, retryInMs) => {
          logger.error({ err: errorMessage(err), attempt: n, retryInMs }, 'consumers did not start; serving without event updates until they do');
          health.setReady(EVENTS_COMPONENT, false, `consumers not started (attempt ${n}: ${errorMessage(err)}); retrying in ${Math.round(retryInMs / 1000)} s`);
        },
      });
      // An attempt in flight stops its own set on stop(); it is waited for within the budget.
      transports.push({ name: 'consumers', stop: (budgetMs) => attempts.stop(budgetMs) });
      starting.push(
        attempts.start().then(
          (started) => {
            if (!started) return;
            consumers = started.set;
            logger.info({ topics: [topics.userEvents.name, topics.catalogItems.name], profiles: profiles.scope }, 'consuming user.events and catalog.items');
          },
          (err: unknown) => logger.error({ err: errorMessage(err) }, 'consumers did not start; serving without event updates'),
        ),
      );
    }

    let follower: ModelFollower | undefined;
    if (config.RECOMMEND_FOLLOW_MODELS) {
      // A fresh follower per attempt until one starts (Kafka down at start-up), not one try.
      const created = retryingModelFollower(
        () =>
          createModelFollower({
            kafka,
            service,
            replicaId: settings.instanceId,
            models: [settings.rankerModel],
            repository,
            registry: metrics.registry,
            validate: (candidate) => checkRankerVersion(candidate),
            logger: eventsLoggerOf(logger, 'model-follower'),
            topic: topics.modelPublished,
            ...(deps.consumer ? { consumer: deps.consumer } : {}),
            ...(config.TUNELINE_KEEP_MODEL_VERSIONS !== undefined ? { keepVersions: config.TUNELINE_KEEP_MODEL_VERSIONS } : {}),
          }),
        { onAttemptFailed: (err, attempt, retryInMs) => logger.warn({ err: err instanceof Error ? err.message : String(err), attempt, retryInMs }, 'model follower did not start; serving the loaded version, retrying') },
      );
      follower = created;
      transports.push({ name: 'model-follower', stop: (budgetMs) => created.stop({ timeoutMs: Math.min(5_000, budgetMs) }) });
      starting.push(created.start().catch((err: unknown) => logger.error({ err: errorMessage(err) }, 'model follower did not start; serving the loaded version without hot swaps')));
    }
    if (!trained) {
      // A head found in the repository comes with a cold text-neighbour memo (training fills it): fill it in the background.
      const warming = new AbortController();
      transports.push({ name: 'warm-neighbours', stop: async () => warming.abort() });
      const items = recentLikedItems(state.profiles.values(), (id) => catalog.indexOf(id));
      void warmTextNeighbours(state.textNeighbours, items, warming.signal).then(
        (r) => logger.info(r, 'text-neighbour memo warmed for the seeded users\' liked items'),
        (err: unknown) => logger.warn({ err: errorMessage(err) }, 'text-neighbour warm-up failed; neighbours are computed on first use'),
      );
    }
    repository.onSwap((v) => {
      if (v.model === settings.rankerModel) logger.info({ model: v.model, version: v.version }, 'ranking head swapped');
    });

    const refreshHealth = () => {
      const version = repository.currentVersion(settings.rankerModel);
      health.setReady(MODEL_COMPONENT, version !== undefined, version ? `${settings.rankerModel} v${version}, ${catalog.size} items` : 'ranking head not loaded');
      if (consumers) health.setReady(EVENTS_COMPONENT, consumers.isHealthy(), consumers.describe());
    };
    refreshHealth();
    const poll = setInterval(refreshHealth, HEALTH_POLL_MS);
    poll.unref();
    transports.unshift({ name: 'health-poll', stop: async () => clearInterval(poll) });

    logger.info({ http: http.port, grpc: grpcPort, model: settings.rankerModel, items: catalog.size, profiles: profiles.scope, instance: settings.instanceId }, 'recommender ready');
    const background = Promise.all(starting).then(() => undefined);
    return {
      httpPort: http.port,
      grpcPort,
      repository,
      catalog,
      recommender,
      follower,
      background,
      close,
      // Set once a start attempt succeeds (keepStarting), so read it when asked.
      get consumers() {
        return consumers;
      },
    };
  } catch (err) {
    await close();
    throw err;
  }
}
