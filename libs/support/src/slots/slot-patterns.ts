/**
 * The documented slot patterns, one entry per slot, tried in order on one message.
 * Each pattern returns the normalised value of the first match or undefined. The
 * README's slot table is this list; `examples` are checked by the spec.
 */
import { currencyCode } from './currency';
import { daysAgo, isoDate, monthNumber, pastDate } from './dates';
import type { SlotContext, SlotName } from './slot-values';

export interface SlotPattern {
  readonly name: SlotName;
  readonly description: string;
  /** [message, expected value] pairs, read by the README and the spec. */
  readonly examples: readonly (readonly [string, string])[];
  extract(text: string, ctx: SlotContext): string | undefined;
}

// A number with optional thousands commas and up to two decimals; "12,50" is a decimal
// comma, "12,500" a thousands separator (a comma followed by exactly three digits).
const NUM = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:[.,]\d{1,2})?`;
const SYMBOL = String.raw`[€$£¥￥]`;
const CODE = String.raw`\b(?:EUR|USD|GBP|CHF|JPY|CNY|RMB)\b`;
const WORD = String.raw`(?:euros?|dollars?|pounds?|francs?|yen|yuan)\b|块钱|元|块|人民币|美元|欧元|英镑|日元`;
const AMOUNT_BEFORE = new RegExp(String.raw`(?<![\d.,])(${SYMBOL}|${CODE}|人民币)\s?(${NUM})(?![\d])`, 'i');
const AMOUNT_AFTER = new RegExp(String.raw`(?<![\d.,])(${NUM})\s?(${SYMBOL}|${CODE}|${WORD})`, 'i');

function normaliseNumber(raw: string): string {
  const n = /,\d{1,2}$/.test(raw) ? raw.replace(',', '.') : raw.replace(/,/g, '');
  const [whole = '0', frac] = n.split('.');
  const w = whole.replace(/^0+(?=\d)/, '');
  return frac === undefined ? w : `${w}.${frac.padEnd(2, '0')}`;
}

/** Both orders of number and currency marker; the earlier match in the text wins. */
function findAmount(text: string, ctx: SlotContext): { value: string; currency: string } | undefined {
  const before = AMOUNT_BEFORE.exec(text);
  const after = AMOUNT_AFTER.exec(text);
  const useBefore = before && (!after || before.index <= after.index);
  const [marker, num] = useBefore ? [before[1], before[2]] : after ? [after[2], after[1]] : [undefined, undefined];
  if (marker === undefined || num === undefined) return undefined;
  const currency = currencyCode(marker.trim(), ctx.language);
  return currency ? { value: normaliseNumber(num), currency } : undefined;
}

const MONTH_NAME = String.raw`(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
// Group `i` of a match as a number (groups used here always exist when the match does).
const num = (m: RegExpExecArray, i: number): number => Number(m[i]);
const str = (m: RegExpExecArray, i: number): string => m[i] ?? '';

const DATE_RULES: readonly ((text: string, now: number) => string | undefined)[] = [
  (t) => {
    const m = /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/.exec(t);
    return m ? isoDate(num(m, 1), num(m, 2), num(m, 3)) : undefined;
  },
  // Day first: European and UK usage, where the sample bank operates.
  (t) => {
    const m = /\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b/.exec(t);
    return m ? isoDate(num(m, 3), num(m, 2), num(m, 1)) : undefined;
  },
  (t, now) => {
    const m = new RegExp(String.raw`\b(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+${MONTH_NAME}(?:,?\s+(\d{4}))?\b`, 'i').exec(t);
    if (!m) return undefined;
    const month = monthNumber(str(m, 2));
    if (!month) return undefined;
    return m[3] ? isoDate(num(m, 3), month, num(m, 1)) : pastDate(month, num(m, 1), now);
  },
  (t, now) => {
    const m = new RegExp(String.raw`\b${MONTH_NAME}\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b`, 'i').exec(t);
    if (!m) return undefined;
    const month = monthNumber(str(m, 1));
    if (!month) return undefined;
    return m[3] ? isoDate(num(m, 3), month, num(m, 2)) : pastDate(month, num(m, 2), now);
  },
  (t, now) => {
    const m = /(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]/.exec(t);
    if (!m) return undefined;
    return m[1] ? isoDate(num(m, 1), num(m, 2), num(m, 3)) : pastDate(num(m, 2), num(m, 3), now);
  },
  (t, now) => {
    const m = /\b(today|yesterday)\b|(今天|昨天|前天)/i.exec(t);
    if (!m) return undefined;
    const word = (m[1] ?? m[2] ?? '').toLowerCase();
    const days = { today: 0, yesterday: 1, 今天: 0, 昨天: 1, 前天: 2 }[word] ?? 0;
    return daysAgo(days, now);
  },
];

const CARD_TYPES: readonly [RegExp, string][] = [
  [/\b(debit)\s+card\b|借记卡|储蓄卡/i, 'debit'],
  [/\b(credit)\s+card\b|信用卡/i, 'credit'],
  [/\b(prepaid)\s+card\b|预付卡/i, 'prepaid'],
  [/\b(virtual)\s+card\b|虚拟卡/i, 'virtual'],
];

// Four digits after a cue; never part of a longer number (a full card number is not a "last four").
const LAST_FOUR = [
  /\bending\s+(?:in|with)\s+(\d{4})(?!\d)/i,
  /\blast\s+(?:4|four)(?:\s+digits)?(?:\s+(?:are|is|of\s+(?:my|the)\s+card\s+(?:are|is)))?[:\s]+(\d{4})(?!\d)/i,
  // Masked groups, each at the start of its run and separated by one space or dash: one way to
  // read any string. `(?:[*•xX]{2,}[\s-]?)+` split a long run of * or x every possible way
  // (40 stars with no digits after took 4.8 s, blocking the event loop).
  /(?<![*•xX])[*•xX]{2,}(?:[\s-][*•xX]{2,})*[\s-]?(\d{4})(?!\d)/,
  /(?:尾号|后四位|末四位)(?:是|为)?[:：\s]*(\d{4})(?!\d)/,
];

const TRANSFER_METHODS: readonly [RegExp, string][] = [
  [/\bSEPA\b/i, 'SEPA'],
  [/\bSWIFT\b/i, 'SWIFT'],
  [/\binstant\s+(?:transfer|payment)\b|实时转账/i, 'instant'],
  [/\binternational\s+(?:transfer|payment|wire)\b|国际汇款|跨境汇款/i, 'international'],
  [/\bwire(?:\s+transfer)?\b|电汇/i, 'wire'],
];

export const SLOT_PATTERNS: readonly SlotPattern[] = [
  {
    name: 'amount',
    description: 'a number next to a currency symbol, ISO code or word, either order; "12,50" is a decimal comma, "1,250" a thousands separator; bare numbers are not amounts',
    examples: [['I was charged €1,250.5 twice', '1250.50 EUR'], ['refund of 20 pounds', '20 GBP'], ['USD 12,50', '12.50 USD'], ['退款500元', '500 CNY']],
    extract: (t, ctx) => {
      const a = findAmount(t, ctx);
      return a ? `${a.value} ${a.currency}` : undefined;
    },
  },
  {
    name: 'currency',
    description: 'ISO code of the amount\'s currency, else of a lone currency code or word ("pounds to euros" → GBP)',
    examples: [['I was charged €40', 'EUR'], ['rate for pounds to euros', 'GBP']],
    extract: (t, ctx) => {
      const a = findAmount(t, ctx);
      if (a) return a.currency;
      const m = new RegExp(String.raw`${CODE}|\b(?:euros?|dollars?|pounds?|francs?|yen|yuan)\b|人民币|美元|欧元|英镑|日元`, 'i').exec(t);
      return m ? currencyCode(m[0], ctx.language) : undefined;
    },
  },
  {
    name: 'date',
    description: 'yyyy-mm-dd; dd/mm/yyyy or dd.mm.yyyy (day first); "3 March [2025]", "March 3rd[, 2025]"; 3月5日 / 2025年3月5日; today, yesterday, 今天, 昨天, 前天. Without a year: the latest such date not after now',
    examples: [['paid on 2025-03-14', '2025-03-14'], ['on 14/03/2025', '2025-03-14'], ['sent it on March 3rd, 2024', '2024-03-03']],
    extract: (t, ctx) => {
      for (const rule of DATE_RULES) {
        const v = rule(t, ctx.now);
        if (v) return v;
      }
      return undefined;
    },
  },
  {
    name: 'card_type',
    description: 'debit, credit, prepaid or virtual followed by "card"; 借记卡/储蓄卡, 信用卡, 预付卡, 虚拟卡',
    examples: [['my new debit card', 'debit'], ['我的信用卡', 'credit']],
    extract: (t) => CARD_TYPES.find(([re]) => re.test(t))?.[1],
  },
  {
    name: 'last_four',
    description: 'four digits after "ending in/with", "last 4/four (digits)", a mask (**** 1234, xxxx-1234) or 尾号/后四位; never taken from a longer number',
    examples: [['card ending in 4242', '4242'], ['the last four digits are 0042', '0042'], ['卡尾号1234', '1234']],
    extract: (t) => {
      for (const re of LAST_FOUR) {
        const m = re.exec(t);
        if (m?.[1]) return m[1];
      }
      return undefined;
    },
  },
  {
    name: 'transfer_method',
    description: 'SEPA, SWIFT, instant, international or wire transfer; 实时转账, 国际汇款/跨境汇款, 电汇',
    examples: [['my SEPA transfer bounced', 'SEPA'], ['an international payment', 'international']],
    extract: (t) => TRANSFER_METHODS.find(([re]) => re.test(t))?.[1],
  },
];
