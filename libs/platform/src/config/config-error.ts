/** One bad environment variable and what is wrong with it. */
export interface ConfigIssue {
  variable: string;
  problem: string;
}

/** Thrown by loadConfig; its message names every bad variable, one per line. */
export class ConfigError extends Error {
  readonly code = 'FAILED_PRECONDITION';
  readonly retriable = false;

  constructor(readonly issues: readonly ConfigIssue[]) {
    super(['Invalid configuration:', ...issues.map((i) => `  ${i.variable}: ${i.problem}`)].join('\n'));
    this.name = 'ConfigError';
  }
}
