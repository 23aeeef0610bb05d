import { SupportContentError } from '../errors';
import { compileTemplate, fillTemplate } from './template-text';

describe('answer template syntax', () => {
  const refund = compileTemplate('Refunds[ of {amount}] take 5-10 days[, so one sent on {date} arrives by then]. Card: {card_type|your card}.');

  it('fills every slot it knows and reports which were used and missing', () => {
    const f = fillTemplate(refund, { amount: '20 EUR', date: '2025-03-01', card_type: 'debit' });
    expect(f.text).toBe('Refunds of 20 EUR take 5-10 days, so one sent on 2025-03-01 arrives by then. Card: debit.');
    expect(f.usedSlots).toEqual(['amount', 'date', 'card_type']);
    expect(f.missingSlots).toEqual([]);
  });

  it('drops an optional segment whose slot is missing and uses fallbacks', () => {
    const f = fillTemplate(refund, { date: '2025-03-01' });
    expect(f.text).toBe('Refunds take 5-10 days, so one sent on 2025-03-01 arrives by then. Card: your card.');
    expect(f.missingSlots).toEqual(['amount', 'card_type']);
  });

  it('reads as a whole sentence with no slots at all (no doubled spaces, no space before punctuation)', () => {
    const t = compileTemplate('Freeze your [{card_type} ]card[ ending in {last_four}] now.');
    expect(fillTemplate(t, {}).text).toBe('Freeze your card now.');
    expect(fillTemplate(t, { last_four: '4242' }).text).toBe('Freeze your card ending in 4242 now.');
    expect(fillTemplate(t, { card_type: 'credit', last_four: '4242' }).text).toBe('Freeze your credit card ending in 4242 now.');
  });

  it('keeps a segment only when all its slots are present', () => {
    const t = compileTemplate('Sent[ {amount} on {date}].');
    expect(fillTemplate(t, { amount: '5 EUR' }).text).toBe('Sent.');
    expect(fillTemplate(t, { amount: '5 EUR', date: '2025-01-01' }).text).toBe('Sent 5 EUR on 2025-01-01.');
  });

  it('allows "|" inside a fallback', () => {
    expect(fillTemplate(compileTemplate('{x|a|b}'), {}).text).toBe('a|b');
  });

  it.each([
    ['', /empty/],
    ['Hello {name} there', /needs a fallback/],
    ['Hello {name', /unclosed "\{"/],
    ['Hello name}', /unmatched "\}"/],
    ['Hello [name', /unclosed "\["/],
    ['Hello name]', /unmatched "\]"/],
    ['[a [b]]', /do not nest/],
    ['Hi {Bad-Name|x}', /bad slot name/],
  ])('rejects %j at compile time', (source, message) => {
    expect(() => compileTemplate(source, 'intents.x')).toThrow(SupportContentError);
    expect(() => compileTemplate(source, 'intents.x')).toThrow(message);
  });
});
