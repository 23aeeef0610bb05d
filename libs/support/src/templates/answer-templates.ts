/**
 * One language's answer templates (keyed by intent label) and system messages,
 * loaded from JSON and compiled at start-up so a typo fails the boot, not a turn.
 *
 * File shape: { "language": "en", "intents": { "<label>": "<template>" },
 *               "messages": { "<key>": "<template>" } }
 * Required messages: REQUIRED_MESSAGES (one per handoff reason, and the retrieval intro).
 */
import { readFileSync } from 'node:fs';
import { SupportContentError } from '../errors';
import type { SlotValues } from '../slots/slot-values';
import { compileTemplate, fillTemplate, type CompiledTemplate, type FilledTemplate } from './template-text';

export const HANDOFF_REASONS = ['explicit_request', 'sensitive_intent', 'negative_sentiment', 'low_confidence', 'no_answer', 'agent_requested'] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

export const REQUIRED_MESSAGES: readonly string[] = [...HANDOFF_REASONS.map((r) => `handoff_${r}`), 'retrieval_intro'];

export interface AnswerTemplatesJson {
  readonly language: string;
  readonly intents: Readonly<Record<string, string>>;
  readonly messages: Readonly<Record<string, string>>;
}

export class AnswerTemplates {
  private constructor(
    readonly language: string,
    private readonly intents: ReadonlyMap<string, CompiledTemplate>,
    private readonly messages: ReadonlyMap<string, CompiledTemplate>,
  ) {}

  static fromJson(json: unknown, source = 'templates'): AnswerTemplates {
    if (typeof json !== 'object' || json === null) throw new SupportContentError('expected a JSON object', source);
    const { language, intents, messages } = json as Partial<AnswerTemplatesJson>;
    if (typeof language !== 'string' || language === '') throw new SupportContentError('"language" is required', source);
    const compileAll = (group: unknown, name: string): Map<string, CompiledTemplate> => {
      if (typeof group !== 'object' || group === null) throw new SupportContentError(`"${name}" must be an object`, source);
      return new Map(Object.entries(group).map(([k, v]) => [k, compileTemplate(v as string, `${source} ${name}.${k}`)]));
    };
    const compiledMessages = compileAll(messages, 'messages');
    const missing = REQUIRED_MESSAGES.filter((m) => !compiledMessages.has(m));
    if (missing.length > 0) throw new SupportContentError(`missing messages: ${missing.join(', ')}`, source);
    return new AnswerTemplates(language, compileAll(intents, 'intents'), compiledMessages);
  }

  static fromFile(path: string): AnswerTemplates {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new SupportContentError(`cannot read templates: ${(err as Error).message}`, path);
    }
    return AnswerTemplates.fromJson(json, path);
  }

  get intentLabels(): string[] {
    return [...this.intents.keys()];
  }

  hasIntent(label: string): boolean {
    return this.intents.has(label);
  }

  /** The intent's answer filled with `slots`, or undefined when the intent has no template. */
  answer(label: string, slots: SlotValues): FilledTemplate | undefined {
    const t = this.intents.get(label);
    return t ? fillTemplate(t, slots) : undefined;
  }

  message(key: string, values: SlotValues = {}): string {
    const t = this.messages.get(key);
    if (!t) throw new SupportContentError(`no message "${key}"`, `templates (${this.language})`);
    return fillTemplate(t, values).text;
  }
}
