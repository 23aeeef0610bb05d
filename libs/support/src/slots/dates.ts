/**
 * Date helpers for slot extraction. All dates are calendar dates in UTC, written
 * yyyy-mm-dd; a date without a year is the latest such date not after "now"
 * (customers ask about payments that happened, not future ones).
 */
const DAY_MS = 86_400_000;

export const MONTHS: readonly string[] = [
  'january', 'february', 'march', 'april', 'may', 'june',
  'july', 'august', 'september', 'october', 'november', 'december',
];

/** 1-12 for a full or three-letter English month name ("sept" too), else undefined. */
export function monthNumber(name: string): number | undefined {
  const n = name.toLowerCase().replace(/\.$/, '');
  const i = MONTHS.findIndex((m) => m === n || (n.length >= 3 && m.startsWith(n) && (n.length === 3 || n === 'sept')));
  return i < 0 ? undefined : i + 1;
}

export function isoDate(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const d = new Date(Date.UTC(year, month - 1, day));
  // Rejects 31 April and 29 February of common years instead of rolling over.
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return d.toISOString().slice(0, 10);
}

/** The latest month/day on or before `now` (this year, else last year). */
export function pastDate(month: number, day: number, now: number): string | undefined {
  const year = new Date(now).getUTCFullYear();
  const thisYear = isoDate(year, month, day);
  const today = new Date(now).toISOString().slice(0, 10);
  if (thisYear && thisYear <= today) return thisYear;
  return isoDate(year - 1, month, day) ?? thisYear;
}

export function daysAgo(days: number, now: number): string {
  return new Date(now - days * DAY_MS).toISOString().slice(0, 10);
}
