/**
 * A request the Recommender refuses, with the gRPC-style code the transport maps
 * (INVALID_ARGUMENT → gRPC 3 / HTTP 400) and the offending field.
 */
export class RecommendRequestError extends Error {
  override readonly name: string = 'RecommendRequestError';
  readonly code = 'INVALID_ARGUMENT' as const;
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
  }
}

/** Too many candidates in one Rank call (HTTP 413 at the edge); carries the limit. */
export class CandidateLimitError extends RecommendRequestError {
  override readonly name = 'CandidateLimitError';
  constructor(readonly limit: number, readonly got: number) {
    super('candidates', `${got} candidates exceed the limit of ${limit} per request`);
  }
}
