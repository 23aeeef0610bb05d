import { z } from 'zod';
import { parseBrokers } from '@tuneline/events';
import { defaultCacheRoot } from '@tuneline/inference';

/**
 * The environment variables the trainer reads, parsed and validated once at start-up
 * (main.ts); commands get the typed result through CliIO. Same rules as the services'
 * loadConfig (libs/platform), written with zod here because @tuneline/platform's entry
 * point also loads the NestJS HTTP layer, which the tsx-run CLI cannot compile.
 */
export interface TrainerConfig {
  /** Default for --brokers: $KAFKA_BROKERS, normalised. */
  readonly brokers: string;
  /** Model and embedding cache root: $TUNELINE_CACHE, else <repo>/.cache. */
  readonly cacheRoot: string;
  /** $TUNELINE_DEBUG: print stack traces of unexpected errors. */
  readonly debug: boolean;
}

export const DEFAULT_TRAINER_BROKERS = '127.0.0.1:9092';

const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = { true: true, 1: true, yes: true, false: false, 0: false, no: false };

const trainerEnvSchema = z.object({
  KAFKA_BROKERS: z.string().optional().transform((value, ctx) => {
    if (value === undefined) return DEFAULT_TRAINER_BROKERS;
    try {
      return parseBrokers(value).join(',');
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  }),
  TUNELINE_CACHE: z.string().optional(),
  TUNELINE_DEBUG: z.string().optional().refine((v) => v === undefined || v.trim().toLowerCase() in BOOLEAN_WORDS, 'must be true or false (1/0, yes/no)')
    .transform((v) => (v === undefined ? false : (BOOLEAN_WORDS[v.trim().toLowerCase()] as boolean))),
});

/** Names every bad variable, one per line; exits 2 like any other usage error. */
export class TrainerConfigError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(['invalid environment:', ...issues.map((i) => `  ${i}`)].join('\n'));
    this.name = 'TrainerConfigError';
  }
}

export function loadTrainerConfig(env: Readonly<Record<string, string | undefined>>): TrainerConfig {
  // Empty or blank values count as unset, so `FOO=` falls back to the default.
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = trainerEnvSchema.safeParse(set);
  if (!parsed.success) throw new TrainerConfigError(parsed.error.issues.map((i) => `${String(i.path[0] ?? '(env)')}: ${i.message}`));
  const { KAFKA_BROKERS, TUNELINE_CACHE, TUNELINE_DEBUG } = parsed.data;
  return { brokers: KAFKA_BROKERS, cacheRoot: defaultCacheRoot(TUNELINE_CACHE ? { TUNELINE_CACHE } : {}), debug: TUNELINE_DEBUG };
}
