import { InvalidInputError } from './errors';

/**
 * Request limits enforced before any work is queued (docs/configuration.md lists them).
 * Texts longer than the model's max tokens are truncated, not refused; texts over
 * `maxTextChars` are refused so one caller cannot make the tokenizer chew megabytes.
 */
export interface InputLimits {
  readonly maxTextChars: number;
  readonly maxBatchTexts: number;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = { maxTextChars: 20_000, maxBatchTexts: 256 };

export function checkTexts(texts: unknown, limits: InputLimits): asserts texts is string[] {
  if (!Array.isArray(texts)) throw new InvalidInputError('texts must be an array of strings');
  if (texts.length === 0) throw new InvalidInputError('texts must not be empty');
  if (texts.length > limits.maxBatchTexts) {
    throw new InvalidInputError(`too many texts: ${texts.length} > limit ${limits.maxBatchTexts} per call`);
  }
  texts.forEach((t, i) => {
    if (typeof t !== 'string') throw new InvalidInputError(`texts[${i}] must be a string`);
    if (t.trim().length === 0) throw new InvalidInputError(`texts[${i}] is empty`);
    if (t.length > limits.maxTextChars) {
      throw new InvalidInputError(`texts[${i}] has ${t.length} characters; limit is ${limits.maxTextChars}`);
    }
  });
}
