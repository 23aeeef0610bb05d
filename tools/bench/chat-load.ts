/**
 * Pure parts of the support chat load bench (tools/bench/support-chat-load.ts), kept apart so
 * tools/bench/support-chat-load.spec.ts checks them without a service or a model.
 */
import { SUPPORT_CHAT_LOAD_KEYS } from './bench-json';
import { percentile, round } from './stats';

/** Trimmed, non-empty, at most `maxChars` long (the service answers longer ones 413), each text once, in file order. */
export function distinctMessages(texts: readonly string[], maxChars: number): string[] {
  const seen = new Set<string>();
  for (const raw of texts) {
    const t = raw.trim();
    if (t && t.length <= maxChars) seen.add(t);
  }
  return [...seen];
}

export interface Turn {
  readonly sessionId: string;
  readonly text: string;
}

/**
 * One turn after another, shared by every connection: the n-th turn carries message n mod
 * count (so consecutive turns are distinct until the file is used up) and a session id of its
 * own, `<prefix>-<n>`. Every turn is thus the first turn of a new session: the per-session turn
 * limit (SUPPORT_MAX_TURNS) is never reached and no two connections share a session (no 409).
 */
export class MessageCycler {
  private n = 0;

  constructor(
    private readonly messages: readonly string[],
    private readonly prefix: string,
  ) {
    if (messages.length === 0) throw new RangeError('no messages to send');
  }

  /** Turns handed out so far. */
  get count(): number {
    return this.n;
  }

  next(): Turn {
    const i = this.n++;
    return { sessionId: `${this.prefix}-${i}`, text: this.messages[i % this.messages.length] as string };
  }

  /** The POST /v1/chat body of the next turn. */
  nextBody(): string {
    const t = this.next();
    return JSON.stringify({ sessionId: t.sessionId, text: t.text });
  }
}

/** What one measurement of the service or of the classifier gives. */
export interface RunStats {
  /** Completed units per second: 2xx turns (service) or classified texts (classifier). */
  readonly perSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly completed: number;
  readonly seconds: number;
}

/** The fields of an autocannon result this bench reads (autocannon.Result satisfies it). */
export interface CannonResult {
  readonly duration: number;
  readonly '2xx': number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly latency: { readonly p50: number; readonly p99: number };
  readonly statusCodeStats?: Readonly<Record<string, { count?: number }>>;
}

export interface ServiceRun extends RunStats {
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  /** Responses by status code. */
  readonly statusCodes: Readonly<Record<string, number>>;
}

/**
 * turns/s counts 2xx answers only; the latency percentiles are autocannon's over every
 * response (the bench refuses to publish a run with non-2xx or errors, so they are the 2xx ones).
 */
export function serviceRun(r: CannonResult): ServiceRun {
  const statusCodes: Record<string, number> = {};
  for (const [code, s] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = s.count ?? 0;
  return {
    perSec: r.duration > 0 ? r['2xx'] / r.duration : 0,
    p50Ms: r.latency.p50, p99Ms: r.latency.p99, completed: r['2xx'], seconds: r.duration,
    non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts, statusCodes,
  };
}

/** Per-call latencies and a wall time → RunStats. */
export function callerStats(latenciesMs: readonly number[], wallMs: number): RunStats {
  const s = [...latenciesMs].sort((a, b) => a - b);
  return { perSec: wallMs > 0 ? (s.length / wallMs) * 1000 : 0, p50Ms: percentile(s, 50), p99Ms: percentile(s, 99), completed: s.length, seconds: wallMs / 1000 };
}

/**
 * `callers` concurrent loops, each taking the next text and awaiting `work` on it, until
 * `durationMs` has passed (calls started before the end are waited for and counted; the wall
 * time runs to the last one). The ceiling's equivalent of autocannon's closed loop.
 */
export async function closedLoop(
  callers: number,
  durationMs: number,
  nextText: () => string,
  work: (text: string) => Promise<unknown>,
  now: () => number = () => performance.now(),
): Promise<RunStats> {
  const latencies: number[] = [];
  const t0 = now();
  const end = t0 + durationMs;
  await Promise.all(Array.from({ length: callers }, async () => {
    while (now() < end) {
      const s = now();
      await work(nextText());
      latencies.push(now() - s);
    }
  }));
  return callerStats(latencies, now() - t0);
}

/** The load bench's flat keys of docs/benchmarks/support-chat.json, rounded. */
export function loadFlat(service: RunStats, classifier: RunStats): Record<(typeof SUPPORT_CHAT_LOAD_KEYS)[number], number> {
  return {
    turnsPerSec: round(service.perSec, 1),
    classifierTextsPerSec: round(classifier.perSec, 1),
    serviceToClassifierRatio: classifier.perSec > 0 ? round(service.perSec / classifier.perSec, 3) : 0,
    p50Ms: round(service.p50Ms, 1),
    p99Ms: round(service.p99Ms, 1),
  };
}

/** `tuneline_support_events_total` of a Prometheus text page, as `topic/outcome` → count. */
export function eventCounts(metricsText: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of metricsText.split('\n')) {
    const m = /^tuneline_support_events_total\{([^}]*)\}\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries([...(m[1] as string).matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    out[`${labels['topic'] ?? '?'}/${labels['outcome'] ?? '?'}`] = Number(m[2]);
  }
  return out;
}
