import { CommanderError } from 'commander';

/** Process exit codes of the `tuneline` CLI (documented in docs/trainer.md). */
export const EXIT_CODES = {
  ok: 0,
  /** Anything unexpected: I/O, Kafka, a bug. */
  failure: 1,
  /** Bad command line: unknown command or option, missing required option, bad value; or a bad environment variable. */
  usage: 2,
  /** Bad data: a dataset or input row that cannot be used (message names file:line). */
  data: 3,
  /** The model (base encoder or trained model directory) is missing or unusable. */
  model: 4,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** A bad command line found after parsing (e.g. options that do not fit together). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const USAGE_ERRORS = new Set(['UsageError', 'TaskMismatchError', 'InvalidArgumentError', 'TrainerConfigError', 'ExemplarPlanError']);
const DATA_ERRORS = new Set(['DatasetError', 'InvalidInputError', 'RecommendDataError']);
const MODEL_ERRORS = new Set(['ModelNotFoundError', 'ModelFormatError']);

export interface ClassifiedError {
  readonly code: ExitCode;
  /** What to print; undefined when commander already printed it. */
  readonly message?: string;
}

/**
 * Maps an error to its exit code and message. Matching by name keeps this independent
 * of which copy of a library class was thrown (and of importing every error class here).
 */
export function classifyError(err: unknown): ClassifiedError {
  if (err instanceof CommanderError) return { code: err.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage };
  const e = err instanceof Error ? err : new Error(String(err));
  if (USAGE_ERRORS.has(e.name)) return { code: EXIT_CODES.usage, message: `error: ${e.message}` };
  if (DATA_ERRORS.has(e.name)) return { code: EXIT_CODES.data, message: `error: bad data: ${e.message}` };
  if (MODEL_ERRORS.has(e.name)) return { code: EXIT_CODES.model, message: `error: model: ${e.message}` };
  return { code: EXIT_CODES.failure, message: `error: ${e.message}` };
}
