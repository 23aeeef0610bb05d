import { errorMessage, TOPICS, validateValue, type NewsRawValue } from '@tuneline/events';

/**
 * Reads a JSONL file of news.raw records for replay: each non-blank line is parsed and
 * validated with the news.raw schema; a bad line is reported with its 1-based number and
 * skipped, so one typo does not stop a replay (the CLI still exits non-zero).
 */
export interface NewsLine {
  readonly line: number;
  readonly value: NewsRawValue;
}

export interface BadLine {
  readonly line: number;
  readonly reason: string;
}

export interface ParsedNewsLines {
  readonly records: NewsLine[];
  readonly bad: BadLine[];
}

export function parseNewsLines(text: string): ParsedNewsLines {
  const records: NewsLine[] = [];
  const bad: BadLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      bad.push({ line, reason: `not JSON: ${errorMessage(e)}` });
      return;
    }
    try {
      records.push({ line, value: validateValue(TOPICS.newsRaw, json) });
    } catch (e) {
      bad.push({ line, reason: errorMessage(e) });
    }
  });
  return { records, bad };
}

/**
 * `--rebase-time`: shifts every published_at by the same amount so the newest one becomes
 * `nowMs`, keeping the gaps (and any late items) exactly; times are written in UTC. The newest,
 * not the earliest: a rebased stream then lies in the past, as a live feed does, and passes
 * sentiment-monitor's future check (SENTIMENT_MAX_FUTURE_MS) however long it spans.
 */
export function rebaseTimes(records: readonly NewsRawValue[], nowMs: number): NewsRawValue[] {
  if (records.length === 0) return [];
  const times = records.map((r) => Date.parse(r.published_at));
  // A loop, not Math.max(...times): spreading ~150k+ arguments overflows the call stack.
  let newest = -Infinity;
  for (const t of times) if (t > newest) newest = t;
  const shift = nowMs - newest;
  return records.map((r, i) => ({ ...r, published_at: new Date((times[i] as number) + shift).toISOString() }));
}
