/**
 * Paths of the project-made sample content under libs/support/samples: a banking
 * knowledge base, answer templates and (for Chinese) intent examples. The English
 * intents are libs/finetune/samples/support-intents.jsonl, which the templates key on.
 */
import { join, resolve } from 'node:path';

export const SUPPORT_SAMPLES_DIR = resolve(__dirname, '..', 'samples');
export const SAMPLE_LANGUAGES = ['en', 'zh'] as const;
export type SampleLanguage = (typeof SAMPLE_LANGUAGES)[number];

export interface SampleContentPaths {
  readonly templates: string;
  readonly articlesDir: string;
}

export function sampleContentPaths(language: SampleLanguage, root = SUPPORT_SAMPLES_DIR): SampleContentPaths {
  return { templates: join(root, language, 'templates.json'), articlesDir: join(root, language, 'articles') };
}
