/** Slot names the built-in patterns fill; templates may use any of them as `{name}`. */
export type SlotName = 'amount' | 'currency' | 'date' | 'card_type' | 'last_four' | 'transfer_method';

/** Slot values by name, as plain strings ready to drop into a template. */
export type SlotValues = Readonly<Record<string, string>>;

export interface SlotContext {
  /** "Now", to resolve "yesterday" and dates without a year. */
  readonly now: number;
  /** Language of the message ("en", "zh"); decides e.g. what a bare ¥ means. */
  readonly language: string;
}
