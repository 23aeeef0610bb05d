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

/** What KafkaJS hands over: its IHeaders, plus the null a header without a value decodes to. */
type WireHeaders = Record<string, Buffer | string | null | undefined | readonly (Buffer | string | null | undefined)[]>;

/**
 * Kafka headers as plain strings; a repeated header keeps its first value. A header with a
 * null value (Kafka allows it; Java clients and Connect write them, KafkaJS decodes it as null)
 * is left out: throwing here would halt the partition on that record, never dead-lettering it.
 */
export function decodeHeaders(headers: IHeaders | WireHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [name, raw] of Object.entries(headers as WireHeaders)) {
    const values: readonly (Buffer | string | null | undefined)[] = Array.isArray(raw) ? raw : [raw as Buffer | string | null | undefined];
    const first = values.find((v) => v !== undefined && v !== null);
    if (first === undefined || first === null) continue;
    out[name] = typeof first === 'string' ? first : first.toString('utf8');
  }
  return out;
}
