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

export const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** Samples RSS every 20 ms so short peaks are seen. */
export function rssSampler() {
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  return { stop: () => { clearInterval(t); return Math.max(peak, process.memoryUsage().rss); } };
}

export const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);
