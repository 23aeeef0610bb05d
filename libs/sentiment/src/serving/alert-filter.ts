/**
 * Which alerts a stream subscriber receives: the same parsing and matching for gRPC
 * StreamAlerts and the SSE endpoint, so both transports accept and refuse the same filters.
 *
 * Semantics (also in sentiment.proto, StreamAlertsRequest):
 * - entities and topics select by what an alert is about, by exact, case-sensitive name as
 *   it appears in the consumed records (no trimming, no case folding: "ACME" ≠ "Acme", as in
 *   GetEntitySentiment). Both empty: every alert passes. Otherwise an entity alert passes
 *   only when its name is in `entities`, a topic alert only when its name is in `topics`.
 * - minSeverity: warning < critical.
 * - minZScore compares the statistic of the rule that fired: zScore for `negative-share`,
 *   volumeZScore for `negative-volume`. 0 means no filter.
 */
import type { AlertSeverity, SentimentAlert } from '../types';
import { InvalidAlertFilterError } from './errors';

export const ALERT_FILTER_LIMITS = Object.freeze({
  /** Entity names per filter. */
  maxEntities: 100,
  /** Topic names per filter. */
  maxTopics: 50,
  /** Characters per name (news.raw allows entity names of up to 200). */
  maxNameChars: 200,
});

/** A filter as a transport receives it: gRPC fields or SSE query parameters. */
export interface AlertFilterInput {
  readonly entities?: readonly string[] | null;
  readonly topics?: readonly string[] | null;
  /** `warning` or `critical`, any case; empty, null or undefined: no filter. */
  readonly minSeverity?: string | null;
  /** At least 0; a query parameter's decimal string is accepted; empty, null, undefined or 0: no filter. */
  readonly minZScore?: number | string | null;
}

export interface AlertFilter {
  readonly entities: ReadonlySet<string>;
  readonly topics: ReadonlySet<string>;
  readonly minSeverity: AlertSeverity | undefined;
  readonly minZScore: number;
}

/** The fields of an alert a filter looks at. */
export type FilterableAlert = Pick<SentimentAlert, 'kind' | 'name' | 'severity' | 'rule' | 'zScore' | 'volumeZScore'>;

export const MATCH_ALL_ALERTS: AlertFilter = Object.freeze({
  entities: new Set<string>(),
  topics: new Set<string>(),
  minSeverity: undefined,
  minZScore: 0,
});

const SEVERITY_RANK: Readonly<Record<AlertSeverity, number>> = { warning: 1, critical: 2 };
const DECIMAL = /^\d+(?:\.\d+)?$/;

function parseNames(field: string, names: readonly string[] | null | undefined, max: number): ReadonlySet<string> {
  if (names === undefined || names === null) return new Set();
  if (!Array.isArray(names)) throw new InvalidAlertFilterError(field, 'must be a list of names');
  if (names.length > max) throw new InvalidAlertFilterError(field, `lists ${names.length} names, more than ${max}`);
  for (const name of names) {
    if (typeof name !== 'string' || name.length === 0 || name.length > ALERT_FILTER_LIMITS.maxNameChars) {
      throw new InvalidAlertFilterError(field, `holds a name that is not 1 to ${ALERT_FILTER_LIMITS.maxNameChars} characters`);
    }
  }
  return new Set(names);
}

function parseSeverity(value: string | null | undefined): AlertSeverity | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const lower = typeof value === 'string' ? value.toLowerCase() : '';
  if (lower === 'warning' || lower === 'critical') return lower;
  throw new InvalidAlertFilterError('minSeverity', `must be warning or critical, got ${JSON.stringify(value)}`);
}

function parseMinZ(value: number | string | null | undefined): number {
  if (value === undefined || value === null || value === '') return 0;
  let z: number;
  if (typeof value === 'string') {
    if (!DECIMAL.test(value)) throw new InvalidAlertFilterError('minZScore', `must be a non-negative decimal number, got ${JSON.stringify(value)}`);
    z = Number(value);
  } else if (typeof value === 'number') {
    z = value;
  } else {
    throw new InvalidAlertFilterError('minZScore', 'must be a number');
  }
  if (!Number.isFinite(z) || z < 0) throw new InvalidAlertFilterError('minZScore', `must be a finite number ≥ 0, got ${z}`);
  return z;
}

/** Validates a transport's filter; throws InvalidAlertFilterError naming the field. */
export function parseAlertFilter(input: AlertFilterInput): AlertFilter {
  if (typeof input !== 'object' || input === null) throw new TypeError('input must be an object');
  return {
    entities: parseNames('entities', input.entities, ALERT_FILTER_LIMITS.maxEntities),
    topics: parseNames('topics', input.topics, ALERT_FILTER_LIMITS.maxTopics),
    minSeverity: parseSeverity(input.minSeverity),
    minZScore: parseMinZ(input.minZScore),
  };
}

/** Whether `alert` passes `filter` (semantics in the file comment). */
export function alertMatches(filter: AlertFilter, alert: FilterableAlert): boolean {
  if (filter.entities.size > 0 || filter.topics.size > 0) {
    const names = alert.kind === 'entity' ? filter.entities : filter.topics;
    if (!names.has(alert.name)) return false;
  }
  if (filter.minSeverity !== undefined && SEVERITY_RANK[alert.severity] < SEVERITY_RANK[filter.minSeverity]) return false;
  if (filter.minZScore > 0) {
    const z = alert.rule === 'negative-volume' ? alert.volumeZScore : alert.zScore;
    if (!(z >= filter.minZScore)) return false;
  }
  return true;
}
