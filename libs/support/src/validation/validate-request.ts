/**
 * Domain-level validation of turn and end-session input, shared by both transports.
 * Every rejection is a ValidationError (../errors) naming the field (INVALID_ARGUMENT;
 * HTTP 413 for an over-long message).
 */
import { ValidationError } from '../errors';

/** 1-128 characters of [A-Za-z0-9._:-], as the proto documents for session_id. */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
export const MAX_SESSION_ID_CHARS = 128;
// Loose BCP 47 shape: letters/digits subtags joined by '-' (or '_', which some clients send).
const LOCALE_PATTERN = /^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*$/;

export function validateSessionId(sessionId: unknown): string {
  if (typeof sessionId !== 'string' || sessionId === '') {
    throw new ValidationError('session_id is required', { field: 'session_id' });
  }
  if (sessionId.length > MAX_SESSION_ID_CHARS) {
    throw new ValidationError(`session_id is ${sessionId.length} characters; the limit is ${MAX_SESSION_ID_CHARS}`, { field: 'session_id' });
  }
  if (!SESSION_ID_PATTERN.test(sessionId)) {
    throw new ValidationError('session_id may only contain letters, digits and . _ : -', { field: 'session_id' });
  }
  return sessionId;
}

/** Returns the text trimmed; rejects empty, whitespace-only and over-long text. */
export function validateMessageText(text: unknown, maxChars: number): string {
  if (typeof text !== 'string') throw new ValidationError('text is required', { field: 'text' });
  const trimmed = text.trim();
  if (trimmed === '') throw new ValidationError('text is empty or whitespace only', { field: 'text' });
  // The limit applies to what the user sent, before trimming, so clients can check it themselves.
  if (text.length > maxChars) {
    throw new ValidationError(`text is ${text.length} characters; the limit is ${maxChars}`, { field: 'text', kind: 'too-large' });
  }
  if (hasControlCharacters(trimmed)) {
    throw new ValidationError('text contains control characters', { field: 'text' });
  }
  return trimmed;
}

/** Most characters of a rejected value an error message repeats (messages reach clients and logs). */
export const MAX_ECHOED_CHARS = 64;

/**
 * A rejected value as an error message shows it: JSON, cut after `max` characters with the
 * full length noted, so a megabyte of garbage does not come back in the 400 or fill the logs.
 */
export function echoValue(value: unknown, max = MAX_ECHOED_CHARS): string {
  if (typeof value === 'string') {
    return value.length > max ? `${JSON.stringify(value.slice(0, max))}… (${value.length} characters)` : JSON.stringify(value);
  }
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = typeof value; // circular, BigInt, a throwing toJSON
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** C0 control characters other than tab, line feed and carriage return: never typed by a person. */
export function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return true;
  }
  return false;
}

/** Empty means "en" (proto); anything else must look like a BCP 47 tag. */
export function validateLocale(locale: unknown): string {
  if (locale === undefined || locale === null || locale === '') return 'en';
  if (typeof locale !== 'string' || locale.length > 35 || !LOCALE_PATTERN.test(locale)) {
    throw new ValidationError(`locale ${echoValue(locale)} is not a BCP 47 language tag`, { field: 'locale' });
  }
  return locale;
}

export function validateHandoffReason(reason: unknown, maxChars: number, required: boolean): string {
  const text = typeof reason === 'string' ? reason.trim() : '';
  if (reason !== undefined && typeof reason !== 'string') throw new ValidationError('reason must be a string', { field: 'reason' });
  if (required && text === '') throw new ValidationError('reason is required to hand a session off', { field: 'reason' });
  if (text.length > maxChars) {
    throw new ValidationError(`reason is ${text.length} characters; the limit is ${maxChars}`, { field: 'reason', kind: 'too-large' });
  }
  return text;
}
