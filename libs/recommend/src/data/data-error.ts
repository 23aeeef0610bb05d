/** A data file (or text) that does not hold what its loader expects; names the source and the 1-based line. */
export class RecommendDataError extends Error {
  override readonly name = 'RecommendDataError';

  constructor(
    readonly source: string,
    readonly line: number,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${source}${line > 0 ? `:${line}` : ''}: ${reason}`, options);
  }
}
