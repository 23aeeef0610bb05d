import { z } from 'zod';

// Builders for environment variables: every value arrives as a string, so each
// field parses it and says in plain words what a valid value looks like.

const INTEGER = /^-?\d+$/;

/** Integer within [min, max]; unset -> `def` (omit `def` to make it required). */
export function envInt(options: { def?: number; min: number; max: number }) {
  const { def, min, max } = options;
  const field = z
    .string()
    .trim()
    .regex(INTEGER, `must be an integer between ${min} and ${max}`)
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, `must be an integer between ${min} and ${max}`)
        .max(max, `must be an integer between ${min} and ${max}`),
    );
  return def === undefined ? field : field.default(def);
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Decimal number (e.g. a threshold) within [min, max]; unset -> `def` (omit `def` to make it required; `.optional()` for an optional one). */
export function envNumber(options: { def?: number; min: number; max: number }) {
  const { def, min, max } = options;
  const range = `must be between ${min} and ${max}`;
  const field = z
    .string()
    .trim()
    .regex(DECIMAL, `must be a number between ${min} and ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, range).max(max, range));
  return def === undefined ? field : field.default(def);
}

/** TCP port; 0 asks the OS for a free port (tests). */
export function envPort(def: number) {
  return envInt({ def, min: 0, max: 65535 });
}

/** Comma-separated list; blanks dropped. */
export function envList(def: readonly string[] = []) {
  return z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== ''),
    )
    .default([...def]);
}

/** true/false/1/0/yes/no. */
export function envBool(def: boolean) {
  return z
    .string()
    .trim()
    .toLowerCase()
    .refine((s) => ['true', 'false', '1', '0', 'yes', 'no'].includes(s), 'must be true or false')
    .transform((s) => s === 'true' || s === '1' || s === 'yes')
    .default(def);
}

/** One of a fixed set of strings. */
export function envEnum<const T extends readonly [string, ...string[]]>(values: T, def: T[number]) {
  return z
    .string()
    .trim()
    .pipe(z.enum(values, { error: `must be one of ${values.join(', ')}` }))
    // `def` is one of `values`; TS cannot relate a generic T[number] to z.enum output.
    .default(def as never);
}

/** Optional non-empty string (e.g. a file path). */
export function envOptionalString() {
  return z.string().trim().min(1, 'must not be empty').optional();
}
