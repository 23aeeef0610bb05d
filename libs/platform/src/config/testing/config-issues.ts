import type { z } from 'zod';
import { ConfigError } from '../config-error';
import { loadConfig } from '../load-config';

/** For the config specs: the ConfigError `env` must raise, as variable → problem; fails the spec if none is raised. */
export function configIssues(schema: z.ZodType, env: Record<string, string>): Record<string, string> {
  try {
    loadConfig(schema, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return Object.fromEntries((err as ConfigError).issues.map((i) => [i.variable, i.problem]));
  }
  throw new Error('expected a ConfigError');
}
