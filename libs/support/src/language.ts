/**
 * Language of a BCP 47 locale: its primary subtag, lower-cased ("en-GB" → "en",
 * "zh-Hans-CN" → "zh"). Empty means the default, as the proto documents.
 */
export function languageOf(locale: string, fallback = 'en'): string {
  const primary = locale.trim().split(/[-_]/)[0]?.toLowerCase() ?? '';
  return primary || fallback;
}

/** True for text written mostly in CJK ideographs, where words are not space-separated. */
export function isMostlyCjk(text: string): boolean {
  const cjk = text.match(/[\u3400-\u9fff\uf900-\ufaff]/g)?.length ?? 0;
  const latin = text.match(/[A-Za-z]/g)?.length ?? 0;
  return cjk > latin;
}
