import type { IHeaders } from 'kafkajs';
import type { z } from 'zod';
import { DecodeError, SchemaValidationError, type SchemaIssue } from './errors';
import type { TopicDefinition } from './topic-definition';

// Values are UTF-8 JSON documents validated by the topic's zod schema on both ends.

function toIssues(error: z.ZodError): SchemaIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((p) => String(p)).join('.'),
    message: issue.message,
  }));
}

/** Validates a value against its topic schema; returns the parsed (defaults applied) value. */
export function validateValue<N extends string, S extends z.ZodType>(
  topic: TopicDefinition<N, S>,
  value: unknown,
  context = '',
): z.output<S> {
  const result = topic.schema.safeParse(value);
  if (!result.success) throw new SchemaValidationError(topic.name, toIssues(result.error), context);
  return result.data;
}

/** Validates then encodes a value as UTF-8 JSON. */
export function encodeValue<N extends string, S extends z.ZodType>(
  topic: TopicDefinition<N, S>,
  value: z.input<S>,
  context = '',
): { parsed: z.output<S>; bytes: Buffer } {
  const parsed = validateValue(topic, value, context);
  return { parsed, bytes: Buffer.from(JSON.stringify(parsed), 'utf8') };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes and validates a consumed record value; throws DecodeError or SchemaValidationError. */
export function decodeValue<N extends string, S extends z.ZodType>(
  topic: TopicDefinition<N, S>,
  raw: Buffer | null,
): z.output<S> {
  if (raw === null) throw new DecodeError(topic.name, 'value is null (tombstone)');
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch (err) {
    throw new DecodeError(topic.name, 'value is not valid UTF-8', { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new DecodeError(topic.name, `value is not JSON (${(err as Error).message})`, { cause: err });
  }
  return validateValue(topic, json);
}

/** Whether bytes are valid UTF-8 (so they can travel as text inside JSON). */
export function isUtf8(bytes: Buffer): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Kafka headers as plain strings; a repeated header keeps its first value. */
export function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [name, raw] of Object.entries(headers)) {
    const first = Array.isArray(raw) ? raw[0] : raw;
    if (first === undefined) continue;
    out[name] = typeof first === 'string' ? first : first.toString('utf8');
  }
  return out;
}
