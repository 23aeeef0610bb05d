import { readFile } from 'node:fs/promises';
import { Tokenizer } from '@huggingface/tokenizers';

/**
 * Tokenisation with Hugging Face's maintained tokenizers.js, plus the one thing it
 * lacks: truncation to the model's max length. Truncation keeps the special tokens
 * the post-processor adds around the text (`[CLS] … [SEP]` for BERT), as the Rust
 * tokenizer does with `truncation=True`.
 */
export interface TokenizedText {
  readonly ids: readonly number[];
  readonly typeIds: readonly number[];
  /** True when the text was longer than max length and was cut. */
  readonly truncated: boolean;
}

export class TextTokenizer {
  private readonly headSpecials: number;
  private readonly tailSpecials: number;

  private constructor(
    private readonly tokenizer: Tokenizer,
    readonly maxLength: number,
  ) {
    // Count the special tokens the post-processor puts before and after any text.
    const probe = tokenizer.encode('a', { return_token_type_ids: true });
    const plain = tokenizer.encode('a', { add_special_tokens: false });
    const first = plain.ids[0];
    const at = probe.ids.findIndex((id) => id === first);
    this.headSpecials = Math.max(0, at);
    this.tailSpecials = Math.max(0, probe.ids.length - plain.ids.length - this.headSpecials);
  }

  static async fromFile(path: string, maxLength: number, tokenizerConfig: Record<string, unknown> = {}): Promise<TextTokenizer> {
    const json: unknown = JSON.parse(await readFile(path, 'utf8'));
    return new TextTokenizer(new Tokenizer(json as object, tokenizerConfig), maxLength);
  }

  encode(text: string): TokenizedText {
    const enc = this.tokenizer.encode(text, { return_token_type_ids: true });
    const ids = enc.ids;
    const typeIds = enc.token_type_ids ?? new Array<number>(ids.length).fill(0);
    if (ids.length <= this.maxLength) return { ids, typeIds, truncated: false };
    const keepHead = this.maxLength - this.tailSpecials;
    const tailStart = ids.length - this.tailSpecials;
    return {
      ids: [...ids.slice(0, keepHead), ...ids.slice(tailStart)],
      typeIds: [...typeIds.slice(0, keepHead), ...typeIds.slice(tailStart)],
      truncated: true,
    };
  }

  /** Number of special tokens wrapped around every text (2 for BERT). */
  get specialTokenCount(): number {
    return this.headSpecials + this.tailSpecials;
  }
}
