/**
 * Pair rows (text_a, text_b) become one text for the encoder. Training, evaluation and
 * the CLI's predict all join through here: a model scored on texts joined differently
 * from the ones it was trained on degrades silently. BERT tokenizers map the literal
 * [SEP] to the separator token.
 */
export const PAIR_TEXT_SEPARATOR = ' [SEP] ';

export function joinPairText(textA: string, textB: string): string {
  return textA + PAIR_TEXT_SEPARATOR + textB;
}
