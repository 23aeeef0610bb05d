import { extractSlots } from './extract-slots';
import { luhnValid, redactCardNumbers } from './redact-card-numbers';

const NOW = Date.UTC(2025, 2, 14, 12);

describe('redactCardNumbers', () => {
  it.each([
    ['plain', 'my card 4111111111111111 was declined', 'my card **** **** **** 1111 was declined'],
    ['spaced', 'card 4111 1111 1111 1111 please', 'card **** **** **** 1111 please'],
    ['dashed', '5500-0000-0000-0004.', '**** **** **** 0004.'],
    ['15-digit Amex grouping', 'amex 3782 822463 10005', 'amex **** **** **** 0005'],
    ['13 digits', 'old visa 4222222222222', 'old visa **** **** **** 2222'],
    ['19 digits', 'card 6011 0009 9013 9424 009 ok', 'card **** **** **** 4009 ok'],
    ['two cards', '4111111111111111 and 5555 5555 5555 4444', '**** **** **** 1111 and **** **** **** 4444'],
    ['Chinese text around it', '我的卡号是4111111111111111，被冻结了', '我的卡号是**** **** **** 1111，被冻结了'],
  ])('masks a Luhn-valid card number (%s), keeping the last four', (_why, text, masked) => {
    expect(redactCardNumbers(text)).toEqual(masked);
  });

  it('finds a card number next to other numbers and masks only the card', () => {
    expect(redactCardNumbers('ref 12 4111 1111 1111 1111')).toBe('ref 12 **** **** **** 1111');
    expect(redactCardNumbers('paid 2025-03-14, card 4111-1111-1111-1111')).toBe('paid 2025-03-14, card **** **** **** 1111');
  });

  it('masks a neighbouring number too when it forms a valid window with part of the card: never a partial leak', () => {
    // "2025 03 14 4111 11" happens to pass Luhn; masking only the card would leave digits of that window behind.
    const out = redactCardNumbers('on 2025-03-14 4111 1111 1111 1111 was charged');
    expect(out).toBe('on **** **** **** 1111 was charged');
  });

  it.each([
    ['a 16-digit order number that fails Luhn', 'order 1234567812345678 has not arrived'],
    ['the same, grouped', 'order 1234 5678 1234 5678 has not arrived'],
    ['12 digits (too short)', 'ref 411111111111'],
    ['20 digits with no valid 13–19 window on group boundaries', 'iban-ish 12345678901234567890'],
    ['a phone number', 'call me on +44 20 7946 0958'],
    ['amounts and dates', 'I paid €1,250.50 on 14/03/2025'],
    ['an already masked number', 'card **** **** **** 1111'],
  ])('leaves %s alone', (_why, text) => {
    expect(redactCardNumbers(text)).toBe(text);
  });

  it('the masked text still fills the last_four slot', () => {
    const masked = redactCardNumbers('my card 4111 1111 1111 1111 was declined');
    expect(extractSlots(masked, { now: NOW, language: 'en' })).toMatchObject({ last_four: '1111' });
  });

  it('checks Luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
  });
});
