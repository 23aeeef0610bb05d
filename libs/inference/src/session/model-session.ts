import * as ort from 'onnxruntime-node';
import { ModelFormatError } from '../errors';
import { DEFAULT_PROVIDER_PREFERENCE, selectProvider, type ExecutionProviderName } from './execution-providers';
import { providerLibraryMissing } from './provider-libraries';

/**
 * One onnxruntime session per model version, created once and released on dispose.
 * Follows onnxruntime's own shape: `run`, `inputNames`, `outputNames`, `release()`.
 */
export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'all';

export interface ModelSessionOptions {
  readonly modelPath: string;
  readonly executionProviders?: readonly ExecutionProviderName[];
  /** Threads used inside one operator; 0 lets ORT pick (one per core). */
  readonly intraOpNumThreads?: number;
  readonly graphOptimizationLevel?: GraphOptimizationLevel;
  /** Input names the graph must have (checked at load, as Triton checks its config). */
  readonly expectedInputs?: readonly string[];
  /**
   * Used only when the CPU provider is the one tried: load another graph file (the persisted
   * ORT-optimised one, src/session/optimized-graph.ts) at another level, or have ORT write
   * its optimised graph to `optimizedModelFilePath`. CPU-only because a level-`all` graph
   * holds CPU-specific fused kernels that GPU providers cannot run.
   */
  readonly cpuGraph?: CpuGraphOverride;
  readonly log?: (message: string) => void;
  /** @internal test seam: injected in unit tests to simulate providers that fail to load. */
  readonly createSession?: CreateOrtSession;
}

export interface CpuGraphOverride {
  readonly modelPath?: string;
  readonly graphOptimizationLevel?: GraphOptimizationLevel;
  readonly optimizedModelFilePath?: string;
}

/** The shape of `ort.InferenceSession.create`, replaceable in tests (src/testing.ts). */
export type CreateOrtSession = (path: string, options: ort.InferenceSession.SessionOptions) => Promise<ort.InferenceSession>;

export interface ModelSession {
  readonly provider: ExecutionProviderName;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>>;
  release(): Promise<void>;
}

export const DEFAULT_GRAPH_OPTIMIZATION: GraphOptimizationLevel = 'all';

/**
 * onnxruntime-node 1.30 forwards only `deviceId` to TensorRT (its typings and native
 * binding take nothing else), so engines cannot be cached or given min/opt/max shapes
 * through session options; the environment-variable route is named but unverified (ADR 0011).
 */
const TENSORRT_CAVEAT = 'inference: tensorrt: onnxruntime-node passes no engine cache or optimisation profiles; '
  + 'each new batch/sequence shape may rebuild an engine at run time (ADR 0011). The EP may instead read the deprecated '
  + 'ORT_TENSORRT_ENGINE_CACHE_ENABLE=1, ORT_TENSORRT_CACHE_PATH and ORT_TENSORRT_PROFILE_MIN_SHAPES/_OPT_SHAPES/_MAX_SHAPES '
  + 'environment variables, depending on the ORT version: unverified here, so not relied on';

function providerConfig(p: ExecutionProviderName): ort.InferenceSession.ExecutionProviderConfig {
  return p;
}

export async function createModelSession(options: ModelSessionOptions): Promise<ModelSession> {
  if (!options.modelPath) throw new TypeError('modelPath is required');
  const threads = options.intraOpNumThreads ?? 0;
  if (!Number.isInteger(threads) || threads < 0) throw new RangeError(`intraOpNumThreads must be an integer >= 0, got ${threads}`);
  const create = options.createSession ?? ((path, opts) => ort.InferenceSession.create(path, opts));
  const selection = await selectProvider(
    options.executionProviders ?? DEFAULT_PROVIDER_PREFERENCE,
    async (provider) => {
      const missing = provider !== 'cpu' && !options.createSession ? providerLibraryMissing(provider) : undefined;
      if (missing) throw new Error(missing);
      const cpu = provider === 'cpu' ? options.cpuGraph : undefined;
      return create(cpu?.modelPath ?? options.modelPath, {
        executionProviders: [providerConfig(provider)],
        graphOptimizationLevel: cpu?.graphOptimizationLevel ?? options.graphOptimizationLevel ?? DEFAULT_GRAPH_OPTIMIZATION,
        ...(cpu?.optimizedModelFilePath ? { optimizedModelFilePath: cpu.optimizedModelFilePath } : {}),
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
      });
    },
    options.log ?? (() => undefined),
  );
  if (selection.provider === 'tensorrt') (options.log ?? (() => undefined))(TENSORRT_CAVEAT);
  const session = selection.session;
  const missing = (options.expectedInputs ?? []).filter((n) => !session.inputNames.includes(n));
  if (missing.length) {
    await session.release();
    throw new ModelFormatError(`${options.modelPath}: graph lacks inputs ${missing.join(', ')} (has ${session.inputNames.join(', ')})`);
  }
  return {
    provider: selection.provider,
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    run: (feeds) => session.run(feeds) as Promise<Record<string, ort.Tensor>>,
    release: () => session.release(),
  };
}
