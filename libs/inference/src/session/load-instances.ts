import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { createModelSession, type CpuGraphOverride, type ModelSession, type ModelSessionOptions } from './model-session';
import { defaultIntraOpThreads, InstancePool, validateInstances } from './instance-pool';
import {
  cachedOptimizedGraph, discardCandidate, forgetOptimizedGraph, optimizedGraphPaths, promoteOptimizedGraph, sourceFingerprint, sweepStaleCandidates,
  type OptimizedGraphPaths,
} from './optimized-graph';

/** Which graph file the CPU instances run: the model's own, or ORT's persisted optimised one. */
export type GraphSource = 'original' | 'optimized-cached' | 'optimized-new';

export interface LoadInstancesOptions extends Omit<ModelSessionOptions, 'cpuGraph'> {
  readonly instances: number;
  /** Persist ORT's level-`all` graph beside the model and load it on later starts (CPU only). */
  readonly persistOptimizedGraph: boolean;
  /** Largest absolute output difference between two sessions on fixed inputs (the caller knows the model's inputs). */
  readonly compare: (reference: ModelSession, candidate: ModelSession) => Promise<number>;
}

export interface LoadedInstances {
  readonly pool: InstancePool;
  readonly graph: GraphSource;
  /** Size of the graph file each instance loaded (weights dominate a session's memory). */
  readonly graphFileBytes: number;
}

/** Creates N sessions (the first may persist and verify the optimised graph for the others and for restarts). */
export async function loadInstances(options: LoadInstancesOptions): Promise<LoadedInstances> {
  const { instances: n, persistOptimizedGraph, compare, ...rest } = options;
  validateInstances(n);
  const log = options.log ?? (() => undefined);
  const base: ModelSessionOptions = { ...rest, intraOpNumThreads: options.intraOpNumThreads || defaultIntraOpThreads(n) };
  const persist = persistOptimizedGraph && (options.graphOptimizationLevel ?? 'all') === 'all' && writable(dirname(options.modelPath), log);
  const fingerprint = persist ? await sourceFingerprint(options.modelPath) : '';
  if (persist) await sweepStaleCandidates(options.modelPath);
  const cached = persist ? await cachedOptimizedGraph(options.modelPath, fingerprint) : undefined;
  // This load's own candidate path: concurrent loads of the same model never write one file.
  const paths = optimizedGraphPaths(options.modelPath);
  let cpuGraph: CpuGraphOverride | undefined = cached
    ? { modelPath: cached, graphOptimizationLevel: 'disabled' }
    : persist ? { optimizedModelFilePath: paths.candidate } : undefined;
  const sessions: ModelSession[] = [];
  try {
    const first = await createFirst(base, cpuGraph, log);
    if (!first.usedCpuGraph) cpuGraph = undefined;
    // A persisted graph that fails to load would fail every later start too: drop its marker so the next one redoes it.
    if (cached && !first.usedCpuGraph) await forgetOptimizedGraph(options.modelPath);
    sessions.push(first.session);
    let graph: GraphSource = cached && first.usedCpuGraph && first.session.provider === 'cpu' ? 'optimized-cached' : 'original';
    if (persist && !cached) {
      const persisted = first.usedCpuGraph && first.session.provider === 'cpu'
        ? await verifyCandidate(base, paths, first.session, fingerprint, compare, log) : undefined;
      if (!persisted) await discardCandidate(paths);
      cpuGraph = persisted ? { modelPath: persisted, graphOptimizationLevel: 'disabled' } : undefined;
      if (persisted) graph = 'optimized-new';
    }
    for (let i = 1; i < n; i++) sessions.push(await createModelSession({ ...base, ...(cpuGraph ? { cpuGraph } : {}) }));
    const file = graph === 'original' ? options.modelPath : cpuGraph?.modelPath ?? options.modelPath;
    return { pool: new InstancePool(sessions), graph, graphFileBytes: existsSync(file) ? statSync(file).size : 0 };
  } catch (err) {
    await Promise.allSettled(sessions.map((s) => s.release()));
    throw err;
  }
}

/**
 * The persisted graph or the write of a candidate must never stop a model from loading: if
 * the session fails with them (a truncated file, a graph this ORT rejects), it is created
 * again from the model's own graph, as if persistence were off.
 */
async function createFirst(base: ModelSessionOptions, cpuGraph: CpuGraphOverride | undefined, log: (m: string) => void) {
  if (!cpuGraph) return { session: await createModelSession(base), usedCpuGraph: false };
  try {
    return { session: await createModelSession({ ...base, cpuGraph }), usedCpuGraph: true };
  } catch (err) {
    log(`inference: loading with the ORT-optimised graph failed (${(err as Error).message.split('\n')[0]}); using the original graph`);
    return { session: await createModelSession(base), usedCpuGraph: false };
  }
}

/**
 * Loads the candidate ORT just wrote (at level `disabled`, as a restart will) and compares
 * it on fixed inputs with `original`: the model's own graph as served until now, optimised
 * in memory at the same level. The reference is that, not the unoptimised graph, because
 * level `all` legitimately changes int8 numerics (fused quantised MatMuls: up to ~1e-2 on
 * bge-small int8); what must hold is that a restart serves what the original load served.
 * Kept only within tolerance. Any failure (a graph ORT cannot reload) is logged and the
 * original graph is served.
 */
async function verifyCandidate(
  base: ModelSessionOptions, paths: OptimizedGraphPaths, original: ModelSession, fingerprint: string, compare: LoadInstancesOptions['compare'],
  log: (m: string) => void,
): Promise<string | undefined> {
  const candidatePath = paths.candidate;
  if (!existsSync(candidatePath)) return undefined;
  let candidate: ModelSession | undefined;
  try {
    candidate = await createModelSession({ ...base, executionProviders: ['cpu'], graphOptimizationLevel: 'disabled', modelPath: candidatePath });
    const diff = await compare(original, candidate);
    const kept = await promoteOptimizedGraph(paths, fingerprint, diff);
    log(kept
      ? `inference: persisted ORT-optimised graph ${kept} (max |diff| ${diff.toExponential(2)} vs the original)`
      : `inference: ORT-optimised graph rejected (max |diff| ${diff} vs the original); serving the original graph`);
    return kept;
  } catch (err) {
    log(`inference: could not persist the ORT-optimised graph: ${(err as Error).message}; serving the original graph`);
    return undefined;
  } finally {
    await candidate?.release().catch(() => undefined);
  }
}

/** A read-only model directory (an image layer) cannot take the graph: ORT would fail the session instead. */
function writable(dir: string, log: (m: string) => void): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    log(`inference: ${dir} is not writable; the ORT-optimised graph is not persisted`);
    return false;
  }
}
