import { randomUUID } from 'node:crypto';
import type { Metadata } from '@grpc/grpc-js';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Header value shapes of Node HTTP, gRPC metadata maps and KafkaJS record headers. */
export type HeaderValue = string | Buffer | ReadonlyArray<string | Buffer> | undefined;
export type HeaderBag = Readonly<Record<string, HeaderValue>>;

// Ids come from callers; keep only short, printable ones so they cannot forge log lines.
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function newRequestId(): string {
  return randomUUID();
}

export function isValidRequestId(value: string): boolean {
  return SAFE_ID.test(value);
}

/** First value of a header, decoded; header names are matched case-insensitively. */
export function headerValue(headers: HeaderBag | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, raw] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || raw === undefined) continue;
    const first = Array.isArray(raw) ? raw[0] : raw;
    if (first === undefined) return undefined;
    return Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return undefined;
}

/** Valid x-request-id from HTTP headers or Kafka headers, else undefined. */
export function requestIdFromHeaders(headers: HeaderBag | undefined): string | undefined {
  const value = headerValue(headers, REQUEST_ID_HEADER)?.trim();
  return value !== undefined && isValidRequestId(value) ? value : undefined;
}

/** Same for Kafka record headers (values are Buffers). */
export const requestIdFromKafkaHeaders = requestIdFromHeaders;

export function requestIdFromMetadata(metadata: Metadata | undefined): string | undefined {
  return metadata ? requestIdFromHeaders(metadata.getMap()) : undefined;
}

/** The caller's id when valid, otherwise a fresh one. */
export function ensureRequestId(incoming: string | undefined): string {
  return incoming ?? newRequestId();
}

/** Copy of Kafka headers with x-request-id set (a produced record continues the request's trace). */
export function injectKafkaRequestId<H extends Record<string, HeaderValue>>(
  headers: H | undefined,
  requestId: string,
): H & { [REQUEST_ID_HEADER]: Buffer } {
  return { ...(headers ?? ({} as H)), [REQUEST_ID_HEADER]: Buffer.from(requestId, 'utf8') };
}

/** Sets x-request-id on outgoing gRPC metadata (mutates and returns it). */
export function injectMetadataRequestId(metadata: Metadata, requestId: string): Metadata {
  metadata.set(REQUEST_ID_HEADER, requestId);
  return metadata;
}
