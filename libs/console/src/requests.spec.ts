import { describeError } from '@tuneline/platform';
import { alertFilterSchema, chatRequestSchema, itemFeedbackSchema, MAX_CHAT_CHARS, parseInput, recommendRequestSchema } from './requests';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return describeError(err);
  }
  throw new Error('expected a refusal');
};

describe('request checks', () => {
  it('accepts a chat turn and trims its text', () => {
    expect(parseInput(chatRequestSchema, { sessionId: 's-1', text: '  hello ' })).toEqual({ sessionId: 's-1', text: 'hello' });
  });

  it('refuses text over the limit, empty text and odd session ids with a 400 naming the field', () => {
    const long = refusal(() => parseInput(chatRequestSchema, { sessionId: 's', text: 'x'.repeat(MAX_CHAT_CHARS + 1) }));
    expect(long).toMatchObject({ httpStatus: 400, message: `text must be at most ${MAX_CHAT_CHARS} characters` });
    expect(refusal(() => parseInput(chatRequestSchema, { sessionId: 's', text: '  ' })).message).toBe('text must not be empty');
    expect(refusal(() => parseInput(chatRequestSchema, { sessionId: 'a b', text: 'x' })).message).toMatch(/^sessionId may hold only/);
    expect(refusal(() => parseInput(chatRequestSchema, undefined)).message).toBe('body is required (JSON)');
  });

  it('bounds k and defaults it, and checks item feedback types', () => {
    expect(parseInput(recommendRequestSchema, { userId: '1' })).toEqual({ userId: '1', k: 10 });
    expect(refusal(() => parseInput(recommendRequestSchema, { userId: '1', k: 500 })).message).toBe('k must be at most 50');
    expect(refusal(() => parseInput(itemFeedbackSchema, { userId: '1', itemId: '2', type: 'hate' })).message).toMatch(/^type must be one of click, like/);
  });

  it('reads alert filters from comma-separated query values', () => {
    expect(parseInput(alertFilterSchema, { entity: 'ACME, Northwind Bank', severity: 'critical' })).toEqual({ entity: ['ACME', 'Northwind Bank'], topic: [], severity: 'critical' });
    expect(refusal(() => parseInput(alertFilterSchema, { severity: 'meh' }, 'query')).message).toMatch(/^severity must be one of warning, critical/);
  });
});
