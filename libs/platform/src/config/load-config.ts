import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from './config-error';

export type Env = Record<string, string | undefined>;

const SECRET_NAME = /KEY|SECRET|TOKEN|PASSWORD/i;

function describeIssue(issue: z.core.$ZodIssue, env: Env): ConfigIssue {
  const variable = issue.path.length > 0 ? String(issue.path[0]) : '(config)';
  const raw = env[variable];
  let problem = issue.code === 'invalid_type' && raw === undefined ? 'is required but not set' : issue.message;
  // Echo the bad value to speed up fixing it, except for anything secret-looking.
  if (raw !== undefined && !SECRET_NAME.test(variable)) problem += ` (got "${raw}")`;
  return { variable, problem };
}

/**
 * Parses the environment once at start-up. Empty strings count as unset, so
 * `FOO=` in a manifest falls back to the default. Throws ConfigError listing
 * every bad variable.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: Env = process.env): z.output<S> {
  const cleaned: Env = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') cleaned[name] = value;
  }
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => describeIssue(issue, cleaned)));
}

/** For a service's main: print the ConfigError and exit(1) instead of throwing. */
export function loadConfigOrExit<S extends z.ZodType>(
  schema: S,
  env: Env = process.env,
  io: { exit: (code: number) => never; writeError: (text: string) => void } = {
    exit: (code) => process.exit(code),
    writeError: (text) => process.stderr.write(text),
  },
): z.output<S> {
  try {
    return loadConfig(schema, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.writeError(`${err.message}\n`);
    return io.exit(1);
  }
}
