import { extractSlots, mergeSlots } from './extract-slots';
import { SLOT_PATTERNS } from './slot-patterns';

const NOW = Date.UTC(2025, 2, 14, 12); // Friday 14 March 2025
const en = { now: NOW, language: 'en' };
const zh = { now: NOW, language: 'zh' };

describe('slot patterns', () => {
  it.each(SLOT_PATTERNS.flatMap((p) => p.examples.map(([text, value]) => [p.name, text, value] as const)))(
    'documented example: %s in "%s" is %s',
    (name, text, value) => {
      const language = /[\u3400-\u9fff]/.test(text) ? 'zh' : 'en';
      expect(extractSlots(text, { now: NOW, language })[name]).toBe(value);
    },
  );

  it.each([
    // amounts
    ['€40', 'amount', '40 EUR'],
    ['I paid 40€ yesterday', 'amount', '40 EUR'],
    ['$1,000,000.00 please', 'amount', '1000000.00 USD'],
    ['12,500 EUR', 'amount', '12500 EUR'],
    ['12,5 EUR', 'amount', '12.50 EUR'],
    ['GBP 7.5', 'amount', '7.50 GBP'],
    ['a £5 fee', 'amount', '5 GBP'],
    ['refund of 250 dollars', 'amount', '250 USD'],
    ['¥3000 for the hotel', 'amount', '3000 JPY'],
    ['the first €10 and then €20', 'amount', '10 EUR'],
    ['20 eur', 'amount', '20 EUR'],
    // currency without an amount
    ['what rate for pounds to euros', 'currency', 'GBP'],
    ['is there a fee in CHF', 'currency', 'CHF'],
    // dates
    ['on 2025-02-28', 'date', '2025-02-28'],
    ['on 1.3.2025', 'date', '2025-03-01'],
    ['on the 3rd of March', 'date', '2025-03-03'],
    ['on 20 December', 'date', '2024-12-20'], // later this year → last year
    ['on 14 March', 'date', '2025-03-14'], // today counts as past
    ['Sept 9, 2024', 'date', '2024-09-09'],
    ['it left yesterday', 'date', '2025-03-13'],
    ['today', 'date', '2025-03-14'],
    // card types and last four
    ['my Credit Card was charged', 'card_type', 'credit'],
    ['the virtual card', 'card_type', 'virtual'],
    ['card **** 4242 declined', 'last_four', '4242'],
    ['xxxx-xxxx-xxxx-9876', 'last_four', '9876'],
    ['**** **** **** 1234', 'last_four', '1234'],
    ['card ****1234', 'last_four', '1234'],
    ['xx-xxx1234', 'last_four', '1234'],
    ['•••• 9876', 'last_four', '9876'],
    ['XXXXXXXXXXXX4321', 'last_four', '4321'],
    ['ending with 0001', 'last_four', '0001'],
    ['last 4: 5555', 'last_four', '5555'],
    ['instant transfer failed', 'transfer_method', 'instant'],
    ['a wire transfer', 'transfer_method', 'wire'],
  ])('"%s" → %s = %s', (text, slot, value) => {
    expect(extractSlots(text, en)[slot]).toBe(value);
  });

  // The masked-digits pattern once read a run of * or x every possible way: 40 stars took 4.8 s,
  // growing ~1.6x a character. At 42 a regression takes seconds (a failure, not a hung runner);
  // the fixed pattern takes microseconds, so 1 s leaves a loaded CI machine all the room it needs.
  it.each([['*'.repeat(42)], ['x'.repeat(42) + '!'], ['xx '.repeat(14)], ['•'.repeat(42) + ' 12']])('masked runs without four digits: no last four, at once (%s)', (text) => {
    const started = performance.now();
    expect(extractSlots(text, en)).not.toHaveProperty('last_four');
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it.each([
    ['a bare number is not an amount', 'I waited 40 days', 'amount'],
    ['a date is not an amount', 'on 14/03/2025', 'amount'],
    ['31 April does not exist', 'on 31/04/2025', 'date'],
    ['29 February 2025 does not exist', '2025-02-29', 'date'],
    ['month 13 does not exist', '2025-13-01', 'date'],
    ['"marching" is not March', 'it was 3 marching bands', 'date'],
    ['four digits alone are not a last four', 'my code is 1234', 'last_four'],
    ['a full card number gives no last four', 'card 4111 1111 1111 1111', 'last_four'],
    ['five digits after "ending in"', 'ending in 12345', 'last_four'],
    ['"card" alone has no type', 'my card is gone', 'card_type'],
    ['"credit" without "card"', 'I want credit on my account', 'card_type'],
    ['"wireless" is not a wire transfer', 'wireless payment', 'transfer_method'],
  ])('%s', (_why, text, slot) => {
    expect(extractSlots(text, en)).not.toHaveProperty(slot);
  });

  it('reads Chinese amounts, dates, card types and last four digits', () => {
    expect(extractSlots('我昨天用信用卡（尾号：8888）付了￥1,200.50', zh)).toEqual({
      amount: '1200.50 CNY',
      currency: 'CNY',
      date: '2025-03-13',
      card_type: 'credit',
      last_four: '8888',
    });
    expect(extractSlots('3月5日转账人民币300失败', zh)).toMatchObject({ date: '2025-03-05', amount: '300 CNY' });
    expect(extractSlots('2024年12月1日', zh).date).toBe('2024-12-01');
    expect(extractSlots('¥88', zh).amount).toBe('88 CNY');
    expect(extractSlots('前天的国际汇款', zh)).toMatchObject({ date: '2025-03-12', transfer_method: 'international' });
  });

  it('finds several slots in one message and nothing in small talk', () => {
    expect(extractSlots('My SEPA transfer of €1,250 on 2025-03-10 from my debit card ending in 4242 failed', en)).toEqual({
      amount: '1250 EUR',
      currency: 'EUR',
      date: '2025-03-10',
      card_type: 'debit',
      last_four: '4242',
      transfer_method: 'SEPA',
    });
    expect(extractSlots('hello, thanks a lot!', en)).toEqual({});
  });

  it('merges session slots with newer values winning', () => {
    expect(mergeSlots({ amount: '10 EUR', date: '2025-03-01' }, { amount: '20 EUR' })).toEqual({ amount: '20 EUR', date: '2025-03-01' });
  });
});
