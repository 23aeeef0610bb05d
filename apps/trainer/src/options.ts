import { InvalidArgumentError } from 'commander';
import { parseBrokers } from '@tuneline/events';

/** Commander argument parsers: each throws InvalidArgumentError, which exits with code 2. */

export function integerOption(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(max === Number.MAX_SAFE_INTEGER ? `expected an integer >= ${min}` : `expected an integer in [${min}, ${max}]`);
    }
    return n;
  };
}

/** A finite number in [min, max) when `maxExclusive`, else [min, max]. */
export function numberOption(min: number, max: number, maxExclusive = false): (value: string) => number {
  return (value) => {
    const n = Number(value);
    const ok = value.trim() !== '' && Number.isFinite(n) && n >= min && (maxExclusive ? n < max : n <= max);
    if (!ok) throw new InvalidArgumentError(`expected a number in [${min}, ${max}${maxExclusive ? ')' : ']'}`);
    return n;
  };
}

/** Strictly positive number below `max`. */
export function positiveNumberOption(max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n >= max) throw new InvalidArgumentError(`expected a number in (0, ${max})`);
    return n;
  };
}

/** Same rule as the model.published schema: the name is a directory and a Kafka key. */
export const MODEL_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,127}$/;

export function modelNameOption(value: string): string {
  if (!MODEL_NAME_PATTERN.test(value)) {
    throw new InvalidArgumentError('expected letters, digits, ".", "_" or "-" (starting with a letter or digit, at most 128)');
  }
  return value;
}

export function brokersOption(value: string): string {
  try {
    return parseBrokers(value).join(',');
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}
