/**
 * Sends records in order, as fast as possible (batches of `batchSize`) or paced at
 * `ratePerSec` on average: record i is due at start + i / rate; each step sends every record
 * already due (so a slow send is caught up, not lost), then sleeps until the next is due.
 * Clock and sleep are injectable so the schedule is testable without waiting.
 */
export interface PacingOptions<T> {
  readonly send: (batch: T[]) => Promise<void>;
  /** Records per second; undefined = as fast as possible. */
  readonly ratePerSec?: number;
  /** Most records per send (default 500). */
  readonly batchSize?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Stops after the batch in flight. */
  readonly signal?: AbortSignal;
  readonly onBatch?: (sentSoFar: number) => void;
}

export interface PacingResult {
  readonly sent: number;
  readonly elapsedMs: number;
  readonly aborted: boolean;
}

export const DEFAULT_REPLAY_BATCH = 500;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function paceRecords<T>(records: readonly T[], o: PacingOptions<T>): Promise<PacingResult> {
  const batchSize = o.batchSize ?? DEFAULT_REPLAY_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize: expected an integer >= 1, got ${batchSize}`);
  const rate = o.ratePerSec;
  if (rate !== undefined && !(Number.isFinite(rate) && rate > 0)) throw new RangeError(`ratePerSec: expected a number > 0, got ${rate}`);
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? realSleep;
  const start = now();
  let sent = 0;
  while (sent < records.length) {
    if (o.signal?.aborted) return { sent, elapsedMs: now() - start, aborted: true };
    const due = rate === undefined ? records.length : Math.min(records.length, Math.floor(((now() - start) * rate) / 1000) + 1);
    if (due <= sent) {
      await sleep(Math.max(1, Math.ceil(start + (sent * 1000) / (rate as number) - now())));
      continue;
    }
    const end = Math.min(due, sent + batchSize);
    await o.send(records.slice(sent, end));
    sent = end;
    o.onBatch?.(sent);
  }
  return { sent, elapsedMs: now() - start, aborted: false };
}

/** `--rate` value: "20", "20/s" or "2.5/s". */
export function parseRate(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*s)?\s*$/.exec(text);
  const rate = m ? Number(m[1]) : NaN;
  if (!(rate > 0)) throw new RangeError(`rate: "${text}" is not a rate like 20/s`);
  return rate;
}
