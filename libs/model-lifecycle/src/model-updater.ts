import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, modelPublishedSchema, silentLogger, type EventsLogger, type ModelPublished } from '@tuneline/events';
import { compareVersions, type LoadedVersion } from '@tuneline/inference';
import type { FetchFn } from './download-model-dir';
import { LabelsMismatchError, MalformedEventError, ModelLifecycleError } from './errors';
import { checkLabelCompatibility, checkLabelsMatchEvent, DEFAULT_LABEL_POLICY, type LabelPolicy } from './label-policy';
import { materializeVersion, setAsideVersion, type Materialized } from './materialize-version';
import { servedLabels, type ServingRepository } from './serving-repository';
import type { SwapMetrics, SwapOutcome } from './swap-metrics';

export const DEFAULT_FETCH_ATTEMPTS = 3;
export const DEFAULT_FETCH_RETRY_DELAY_MS = 500;

export interface ModelUpdaterOptions {
  readonly repository: ServingRepository;
  /** The model names this service serves; events for others are skipped. */
  readonly models: readonly string[];
  readonly metrics: SwapMetrics;
  readonly labelPolicy?: LabelPolicy;
  /** Extra service-specific check on the warmed-up candidate (e.g. a known text's label); throwing refuses it. */
  readonly validate?: (candidate: LoadedVersion, event: ModelPublished) => void | Promise<void>;
  readonly logger?: EventsLogger;
  readonly fetch?: FetchFn;
  /** Per file of an http(s) download (default DEFAULT_FETCH_TIMEOUT_MS); a timeout is retried like a 5xx. */
  readonly fetchTimeoutMs?: number;
  /** Tries per version for fetch failures that may heal (network, 5xx). */
  readonly fetchAttempts?: number;
  readonly fetchRetryDelayMs?: number;
  /**
   * After a swap, keep only this many newest version directories of the model in the local
   * repository (the served one always kept; hidden staging and set-aside ones untouched);
   * unset = keep every version. For a repository that is the pod's own copy (an emptyDir with a
   * size limit): each version is ~255 MB with its optimised graph, so a nightly publish filled
   * it within days. Never for a repository shared with the publisher (local `npm start`), whose
   * versions a rollback re-publishes from.
   */
  readonly keepVersions?: number;
}

export interface UpdateResult {
  readonly outcome: SwapOutcome;
  readonly model?: string;
  readonly version?: string;
  /** Why it was skipped or refused; absent when swapped. */
  readonly reason?: string;
}

export interface FollowedModelState {
  /** The version being served now (may have been loaded by the service itself). */
  readonly servedVersion?: string;
  readonly lastEvent?: { readonly version: string; readonly outcome: SwapOutcome; readonly reason?: string; readonly at: string };
}

/**
 * Applies one model.published value: skip (other model, not newer) → fetch into the local
 * repository → verify sha256s and labels → load, warm up, validate → swap. Every refusal
 * leaves the old version serving and is returned, logged and counted; it never throws, so
 * a bad event is committed and passed, not retried forever.
 */
export class ModelUpdater {
  private readonly models: ReadonlySet<string>;
  private readonly logger: EventsLogger;
  private readonly policy: LabelPolicy;
  private readonly lastEvents = new Map<string, NonNullable<FollowedModelState['lastEvent']>>();

  constructor(private readonly options: ModelUpdaterOptions) {
    if (options.models.length === 0) throw new TypeError('models: expected at least one model name');
    if (options.keepVersions !== undefined && !(Number.isInteger(options.keepVersions) && options.keepVersions >= 1)) {
      throw new RangeError(`keepVersions: expected an integer >= 1, got ${options.keepVersions}`);
    }
    this.models = new Set(options.models);
    this.logger = options.logger ?? silentLogger;
    this.policy = options.labelPolicy ?? DEFAULT_LABEL_POLICY;
    checkLabelCompatibility(undefined, [], this.policy); // validates the policy name up front
  }

  state(): Record<string, FollowedModelState> {
    return Object.fromEntries(
      [...this.models].map((m) => {
        const servedVersion = this.options.repository.currentVersion(m);
        const lastEvent = this.lastEvents.get(m);
        return [m, { ...(servedVersion !== undefined ? { servedVersion } : {}), ...(lastEvent ? { lastEvent } : {}) }];
      }),
    );
  }

  async apply(value: unknown, signal?: AbortSignal): Promise<UpdateResult> {
    const parsed = modelPublishedSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return this.finish({ outcome: 'rejected_malformed', reason: new MalformedEventError(`${issue?.path.join('.') || '(root)'}: ${issue?.message}`).message });
    }
    const event = parsed.data;
    const { model, version } = event;
    if (!this.models.has(model)) return this.finish({ outcome: 'skipped_other_model', model, version, reason: 'not a model this service serves' });
    const served = this.options.repository.currentVersion(model);
    if (served !== undefined && compareVersions(version, served) <= 0) {
      return this.finish({ outcome: 'skipped_stale', model, version, reason: `version ${version} is not newer than the served ${served}` });
    }
    const started = performance.now();
    let stage: 'fetch' | 'load' = 'fetch';
    let fetched: Materialized | undefined;
    try {
      fetched = await this.materialize(event, signal);
      stage = 'load';
      await this.options.repository.load(model, version, {
        validate: async (candidate) => {
          // The loaded graph's own label list, which is what requests will be answered with.
          checkLabelsMatchEvent(candidate.textModel.dir.labels, event.labels);
          await this.options.validate?.(candidate, event);
        },
      });
      this.options.metrics.observeSwapSeconds(model, (performance.now() - started) / 1000);
      await this.prune(model, version);
      return this.finish({ outcome: 'swapped', model, version });
    } catch (err) {
      // load() may reject after the switch (e.g. the old version's dispose failed): what
      // serves is what counts, and the directory it serves from must stay.
      const serving = this.options.repository.currentVersion(model) === version;
      if (serving) {
        this.logger.error({ model, version, stage, err: errorMessage(err) }, 'failed after the new version went live; counting it as swapped');
        this.options.metrics.observeSwapSeconds(model, (performance.now() - started) / 1000);
        return this.finish({ outcome: 'swapped', model, version });
      }
      // A version that will not serve must not be picked as "latest" at the next start: a copy
      // we made goes, one found in place is set aside (materialize does that for failed checks).
      if (fetched) await this.discard(fetched, errorMessage(err));
      return this.finish({ outcome: outcomeOf(err, stage), model, version, reason: errorMessage(err) });
    }
  }

  private async materialize(event: ModelPublished, signal?: AbortSignal): Promise<Materialized> {
    const attempts = Math.max(1, this.options.fetchAttempts ?? DEFAULT_FETCH_ATTEMPTS);
    for (let attempt = 1; ; attempt++) {
      try {
        return await materializeVersion({
          root: this.options.repository.root,
          model: event.model,
          version: event.version,
          path: event.path,
          ...(event.uri ? { uri: event.uri } : {}),
          checksums: { sha256: event.sha256, ...(event.tokenizerSha256 ? { tokenizerSha256: event.tokenizerSha256 } : {}) },
          ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
          ...(this.options.fetchTimeoutMs !== undefined ? { fetchTimeoutMs: this.options.fetchTimeoutMs } : {}),
          ...(signal ? { signal } : {}),
          logger: this.logger,
          check: (dir) => this.check(dir, event),
        });
      } catch (err) {
        const retriable = err instanceof ModelLifecycleError && err.retriable;
        if (!retriable || attempt >= attempts || signal?.aborted) throw err;
        const delay = (this.options.fetchRetryDelayMs ?? DEFAULT_FETCH_RETRY_DELAY_MS) * 2 ** (attempt - 1);
        this.logger.warn({ model: event.model, version: event.version, attempt, delayMs: delay, err: errorMessage(err) }, 'model fetch failed; retrying');
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  /** keepVersions: removes the model's older version directories; a failure is logged, never thrown. */
  private async prune(model: string, served: string): Promise<void> {
    const keep = this.options.keepVersions;
    if (keep === undefined) return;
    const dir = join(this.options.repository.root, model);
    try {
      const versions = (await readdir(dir, { withFileTypes: true }))
        // As ModelRepository.listVersions: hidden (staging, set aside) and `.tmp-` (an export a killed process left) are not versions.
        .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.includes('.tmp-'))
        .map((e) => e.name)
        .sort((a, b) => compareVersions(b, a));
      const kept = new Set([served, ...versions.slice(0, keep)]);
      for (const v of versions.filter((name) => !kept.has(name))) {
        await rm(join(dir, v), { recursive: true, force: true });
        this.logger.info({ model, version: v, keepVersions: keep }, 'old model version removed from the local repository');
      }
    } catch (err) {
      this.logger.warn({ model, dir, err: errorMessage(err) }, 'could not prune old model versions');
    }
  }

  private async discard(fetched: Materialized, reason: string): Promise<void> {
    try {
      if (fetched.from === 'repository') await setAsideVersion(fetched.dir, this.logger, reason);
      else await rm(fetched.dir, { recursive: true, force: true });
    } catch (err) {
      this.logger.error({ dir: fetched.dir, err: errorMessage(err) }, 'could not remove a refused version; it may be served at the next start');
    }
  }

  /** Runs after materializeVersion verified the sha256s (nothing is trusted before them): labels. */
  private async check(dir: string, event: ModelPublished): Promise<void> {
    checkLabelsMatchEvent(await readLabels(dir), event.labels);
    checkLabelCompatibility(servedLabels(this.options.repository, event.model), event.labels, this.policy);
  }

  private finish(result: UpdateResult): UpdateResult {
    const model = result.model ?? '(unknown)';
    // The label set stays bounded: names of models this service does not serve come from
    // anyone who can publish, so they are counted under one label.
    this.options.metrics.observe(this.models.has(model) ? model : '(other)', result.outcome);
    if (result.model && this.models.has(result.model)) {
      this.lastEvents.set(result.model, {
        version: result.version ?? '',
        outcome: result.outcome,
        ...(result.reason ? { reason: result.reason } : {}),
        at: new Date().toISOString(),
      });
    }
    const fields = { model, version: result.version, outcome: result.outcome, reason: result.reason };
    if (result.outcome === 'swapped') this.logger.info(fields, `now serving ${model} version ${result.version}`);
    else if (result.outcome.startsWith('skipped')) this.logger.info(fields, 'model.published skipped');
    else this.logger.error(fields, 'model.published refused; the old version keeps serving');
    return result;
  }
}

async function readLabels(dir: string): Promise<readonly string[] | undefined> {
  let raw: string;
  try {
    raw = await readFile(join(dir, 'labels.json'), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const labels: unknown = JSON.parse(raw);
    if (Array.isArray(labels) && labels.every((l) => typeof l === 'string')) return labels as string[];
  } catch {
    // fall through: an unreadable label file is a label problem, not a crash
  }
  throw new LabelsMismatchError(`${join(dir, 'labels.json')} is not a JSON array of label strings`);
}

function outcomeOf(err: unknown, stage: 'fetch' | 'load'): SwapOutcome {
  if (err instanceof ModelLifecycleError) {
    switch (err.code) {
      case 'CHECKSUM_MISMATCH':
        return 'rejected_checksum';
      case 'LABELS_MISMATCH':
      case 'INCOMPATIBLE_LABELS':
        return 'rejected_labels';
      case 'MALFORMED_EVENT':
        return 'rejected_malformed';
      case 'FETCH_FAILED':
      case 'UNSUPPORTED_SOURCE':
        return 'failed_fetch';
    }
  }
  return stage === 'fetch' ? 'failed_fetch' : 'failed_load';
}
