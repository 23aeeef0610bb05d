/**
 * Masks payment card numbers in a user's message before anything keeps or publishes it
 * (session transcript, turn record, support.conversations, support.handoff).
 *
 * A card number here: 13–19 digits, optionally grouped by single spaces or dashes, that
 * pass the Luhn check. It becomes `**** **** **** 1234` (its last four kept), a form the
 * `last_four` slot reads, so "my card 4111 1111 1111 1111 was declined" still fills
 * last_four = 1111. A number failing Luhn (an order or reference number) is left alone.
 *
 * Digits joined by single spaces or dashes form one run (a date, then the card); every
 * 13–19-digit window of a run that starts and ends on a group boundary is tried, and every
 * digit inside any Luhn-valid window is masked. A neighbouring number that happens to form
 * a valid window with part of the card is therefore masked with it: redaction errs on
 * masking too much, never on leaving part of a card number behind.
 */

export const CARD_MIN_DIGITS = 13;
export const CARD_MAX_DIGITS = 19;

/** The replacement: four masked groups and the last four digits, as `last_four` reads them. */
export function cardMask(lastFour: string): string {
  return `**** **** **** ${lastFour}`;
}

// Digits, each pair joined by at most one space, no-break space or dash.
const DIGIT_RUN = /\d(?:[ \u00a0-]?\d)*/g;

/** The Luhn (mod 10) check over a string of ASCII digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** Returns the text with every card number masked; text without one is returned as is. */
export function redactCardNumbers(text: string): string {
  if (!/\d/.test(text)) return text;
  return text.replace(DIGIT_RUN, (run) => (countDigits(run) < CARD_MIN_DIGITS ? run : redactRun(run)));
}

function countDigits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (isDigit(s.charCodeAt(i))) n++;
  return n;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Masks the Luhn-valid windows of one run of grouped digits. */
function redactRun(run: string): string {
  // Position in `run` of each digit, and where groups start and end (digit indexes).
  const at: number[] = [];
  const groupStart = new Set<number>();
  const groupEnd = new Set<number>();
  for (let i = 0; i < run.length; i++) {
    if (!isDigit(run.charCodeAt(i))) continue;
    if (i === 0 || !isDigit(run.charCodeAt(i - 1))) groupStart.add(at.length);
    if (i === run.length - 1 || !isDigit(run.charCodeAt(i + 1))) groupEnd.add(at.length);
    at.push(i);
  }
  const digits = at.map((i) => run[i]).join('');
  const covered = new Array<boolean>(digits.length).fill(false);
  for (const start of groupStart) {
    for (let len = CARD_MIN_DIGITS; len <= CARD_MAX_DIGITS && start + len <= digits.length; len++) {
      if (groupEnd.has(start + len - 1) && luhnValid(digits.slice(start, start + len))) covered.fill(true, start, start + len);
    }
  }
  // Each stretch of covered digits becomes one mask with the stretch's last four digits.
  let out = '';
  let copied = 0;
  for (let d = 0; d < digits.length; d++) {
    if (!covered[d] || (d > 0 && covered[d - 1])) continue;
    let end = d;
    while (end + 1 < digits.length && covered[end + 1]) end++;
    const first = at[d] as number;
    const last = at[end] as number;
    out += run.slice(copied, first) + cardMask(digits.slice(end - 3, end + 1));
    copied = last + 1;
  }
  return copied === 0 ? run : out + run.slice(copied);
}
