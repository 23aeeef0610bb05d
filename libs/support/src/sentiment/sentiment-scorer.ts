/**
 * Optional negative-sentiment signal (libs/sentiment's ScoreTexts over gRPC, later).
 * The chat must work without it: a missing scorer, an error or a timeout all yield
 * "no signal", and the turn goes on.
 */
export interface SentimentScorer {
  /** Probability in [0, 1] that the text is negative. Should stop work when `signal` aborts. */
  scoreNegative(text: string, signal: AbortSignal): Promise<number>;
}

export type SentimentOutcome =
  | { readonly status: 'scored'; readonly negative: number }
  | { readonly status: 'absent' }
  | { readonly status: 'timeout' }
  | { readonly status: 'failed'; readonly error: unknown };

export async function scoreSentiment(scorer: SentimentScorer | undefined, text: string, timeoutMs: number): Promise<SentimentOutcome> {
  if (!scorer) return { status: 'absent' };
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<SentimentOutcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ status: 'timeout' });
    }, timeoutMs);
  });
  const scored = (async (): Promise<SentimentOutcome> => {
    try {
      const negative = await scorer.scoreNegative(text, controller.signal);
      if (!Number.isFinite(negative) || negative < 0 || negative > 1) {
        return { status: 'failed', error: new RangeError(`sentiment score ${negative} is outside [0, 1]`) };
      }
      return { status: 'scored', negative };
    } catch (error) {
      return { status: 'failed', error };
    }
  })();
  try {
    return await Promise.race([scored, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
