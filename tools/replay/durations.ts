/**
 * Durations like "2h", "30m", "1h30m", "45s", "1500ms", and surge specs "<entity>@<offset>:<duration>"
 * ("Northwind Bank@2h:30m": a 30-minute surge starting 2 hours into the stream).
 */
const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
const PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;

export function parseDuration(text: string, field = 'duration'): number {
  const s = text.trim();
  if (s === '') throw new RangeError(`${field}: empty duration (use e.g. 2h, 30m, 1h30m, 45s)`);
  PART.lastIndex = 0;
  let ms = 0;
  let consumed = 0;
  for (let m = PART.exec(s); m; m = PART.exec(s)) {
    ms += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    consumed = PART.lastIndex;
  }
  if (consumed !== s.length) throw new RangeError(`${field}: "${text}" is not a duration (use e.g. 2h, 30m, 1h30m, 45s)`);
  return Math.round(ms);
}

export interface SurgeSpec {
  readonly entity: string;
  readonly offsetMs: number;
  readonly durationMs: number;
}

/** Parses "A@2h:30m,B@4h:20m"; the entity is everything before the last "@". */
export function parseSurgeSpecs(text: string): SurgeSpec[] {
  if (text.trim() === '') return [];
  return text.split(',').map((part, i) => {
    const field = `surges[${i}]`;
    const at = part.lastIndexOf('@');
    const colon = part.indexOf(':', at);
    if (at <= 0 || colon < 0) throw new RangeError(`${field}: "${part}" is not <entity>@<offset>:<duration> (e.g. Acme@2h:30m)`);
    const durationMs = parseDuration(part.slice(colon + 1), `${field} duration`);
    if (durationMs <= 0) throw new RangeError(`${field}: the duration must be > 0`);
    return { entity: part.slice(0, at).trim(), offsetMs: parseDuration(part.slice(at + 1, colon), `${field} offset`), durationMs };
  });
}
