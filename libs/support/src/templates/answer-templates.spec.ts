import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleContentPaths } from '../samples';
import { AnswerTemplates, REQUIRED_MESSAGES } from './answer-templates';

function labelsOf(jsonlPath: string): string[] {
  const lines = readFileSync(jsonlPath, 'utf8').split('\n').filter(Boolean);
  return [...new Set(lines.map((l) => (JSON.parse(l) as { label: string }).label))].sort();
}

const minimal = {
  language: 'en',
  intents: { card_arrival: 'Cards arrive in 3 to 5 days[ ({card_type})].' },
  messages: Object.fromEntries(REQUIRED_MESSAGES.map((m) => [m, `${m}[ {ticket_id}]`])),
};

describe('AnswerTemplates', () => {
  it('has a template for every intent of the English sample dataset (libs/finetune) and the Chinese one', () => {
    const en = AnswerTemplates.fromFile(sampleContentPaths('en').templates);
    const zh = AnswerTemplates.fromFile(sampleContentPaths('zh').templates);
    const enLabels = labelsOf(join(__dirname, '../../../finetune/samples/support-intents.jsonl'));
    expect(enLabels).toHaveLength(10);
    expect(en.intentLabels.sort()).toEqual(enLabels);
    expect(zh.intentLabels.sort()).toEqual(labelsOf(join(__dirname, '../../samples/zh/support-intents.jsonl')));
    expect([en.language, zh.language]).toEqual(['en', 'zh']);
  });

  it('fills an intent answer and a message, and says when an intent has no template', () => {
    const t = AnswerTemplates.fromJson(minimal);
    expect(t.answer('card_arrival', { card_type: 'debit' })?.text).toBe('Cards arrive in 3 to 5 days (debit).');
    expect(t.answer('card_lost', {})).toBeUndefined();
    expect(t.hasIntent('card_arrival')).toBe(true);
    expect(t.message('handoff_no_answer', { ticket_id: 'HO-1' })).toBe('handoff_no_answer HO-1');
    expect(() => t.message('nope')).toThrow(/no message "nope"/);
  });

  it('fails at load time on a missing message, a bad template or a bad shape', () => {
    const fewer = Object.fromEntries(Object.entries(minimal.messages).filter(([k]) => k !== 'handoff_no_answer'));
    expect(() => AnswerTemplates.fromJson({ ...minimal, messages: fewer })).toThrow(/missing messages: handoff_no_answer/);
    expect(() => AnswerTemplates.fromJson({ ...minimal, intents: { x: 'Hi {name}' } }, 'en.json')).toThrow(/en.json intents.x: .*needs a fallback/);
    expect(() => AnswerTemplates.fromJson({ ...minimal, language: '' })).toThrow(/"language" is required/);
    expect(() => AnswerTemplates.fromJson(null)).toThrow(/expected a JSON object/);
    expect(() => AnswerTemplates.fromFile('/nonexistent/templates.json')).toThrow(/cannot read templates/);
  });
});
