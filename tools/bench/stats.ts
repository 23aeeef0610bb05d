export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] as number;
}

export function summarize(latenciesMs: number[], items: number, wallMs: number) {
  const s = [...latenciesMs].sort((a, b) => a - b);
  return {
    sentencesPerSec: round((items / wallMs) * 1000),
    p50Ms: round(percentile(s, 50)),
    p99Ms: round(percentile(s, 99)),
  };
}

/** Median; the mean of the two middle values for an even count. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('median: no values');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** Samples RSS every 20 ms so short peaks are seen. */
export function rssSampler() {
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  return { stop: () => { clearInterval(t); return Math.max(peak, process.memoryUsage().rss); } };
}

export const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);
