/**
 * Execution provider choice: an ordered preference (CUDA → CPU by default; TensorRT only
 * when listed, ADR 0011), each tried in turn; the first that creates a session wins and
 * one log line names it. CPU is always appended as the last resort so a GPU-less host still serves.
 */
export type ExecutionProviderName = 'tensorrt' | 'cuda' | 'cpu';

export const EXECUTION_PROVIDERS: readonly ExecutionProviderName[] = ['tensorrt', 'cuda', 'cpu'];
/** TensorRT is opt-in: onnxruntime-node cannot give it an engine cache or shape profiles (ADR 0011). */
export const DEFAULT_PROVIDER_PREFERENCE: readonly ExecutionProviderName[] = ['cuda', 'cpu'];

/** Parses `TUNELINE_EXECUTION_PROVIDERS=cuda,cpu`; rejects unknown names with the list of valid ones. */
export function parseProviderList(value: string): ExecutionProviderName[] {
  const names = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (names.length === 0) throw new RangeError('executionProviders must name at least one provider');
  for (const n of names) {
    if (!(EXECUTION_PROVIDERS as readonly string[]).includes(n)) {
      throw new RangeError(`unknown execution provider "${n}"; expected one of ${EXECUTION_PROVIDERS.join(', ')}`);
    }
  }
  return names as ExecutionProviderName[];
}

export function withCpuFallback(preference: readonly ExecutionProviderName[]): ExecutionProviderName[] {
  const unique = [...new Set(preference)];
  return unique.includes('cpu') ? unique : [...unique, 'cpu'];
}

export interface ProviderAttempt {
  readonly provider: ExecutionProviderName;
  readonly error?: string;
}

export interface ProviderSelection<S> {
  readonly provider: ExecutionProviderName;
  readonly session: S;
  readonly attempts: readonly ProviderAttempt[];
}

/**
 * Tries `create(provider)` in order. `isUsable` lets the caller skip providers that the
 * runtime build does not carry (onnxruntime-node's CPU build has no CUDA binaries until
 * `ONNXRUNTIME_NODE_INSTALL=cuda12` is used at install).
 */
export async function selectProvider<S>(
  preference: readonly ExecutionProviderName[],
  create: (provider: ExecutionProviderName) => Promise<S>,
  log: (message: string) => void,
): Promise<ProviderSelection<S>> {
  const attempts: ProviderAttempt[] = [];
  for (const provider of withCpuFallback(preference)) {
    try {
      const session = await create(provider);
      const skipped = attempts.map((a) => `${a.provider} (${a.error})`).join('; ');
      log(`inference: using execution provider ${provider}${skipped ? `; unavailable: ${skipped}` : ''}`);
      return { provider, session, attempts: [...attempts, { provider }] };
    } catch (err) {
      attempts.push({ provider, error: firstLine((err as Error).message) });
    }
  }
  throw new Error(`no execution provider could load the model: ${attempts.map((a) => `${a.provider}: ${a.error}`).join('; ')}`);
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? '').slice(0, 200);
}
