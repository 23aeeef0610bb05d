/** Currency markers → ISO 4217 codes. Words are matched case-insensitively, singular or plural. */
export const CURRENCY_SYMBOLS: Readonly<Record<string, string>> = { '€': 'EUR', $: 'USD', '£': 'GBP', '￥': 'CNY' };
export const CURRENCY_CODES = ['EUR', 'USD', 'GBP', 'CHF', 'JPY', 'CNY', 'RMB'] as const;
export const CURRENCY_WORDS: Readonly<Record<string, string>> = {
  euro: 'EUR',
  euros: 'EUR',
  dollar: 'USD',
  dollars: 'USD',
  pound: 'GBP',
  pounds: 'GBP',
  franc: 'CHF',
  francs: 'CHF',
  yen: 'JPY',
  yuan: 'CNY',
  元: 'CNY',
  块: 'CNY',
  块钱: 'CNY',
  人民币: 'CNY',
  美元: 'USD',
  欧元: 'EUR',
  英镑: 'GBP',
  日元: 'JPY',
};

/** ISO code of one marker; `¥` is CNY in Chinese text and JPY otherwise. */
export function currencyCode(marker: string, language: string): string | undefined {
  if (marker === '¥') return language === 'zh' ? 'CNY' : 'JPY';
  const upper = marker.toUpperCase();
  if (upper === 'RMB') return 'CNY';
  if ((CURRENCY_CODES as readonly string[]).includes(upper)) return upper;
  return CURRENCY_SYMBOLS[marker] ?? CURRENCY_WORDS[marker.toLowerCase()];
}
