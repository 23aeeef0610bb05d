import { readFileSync } from 'node:fs';
import { TOPICS, validateValue } from '@tuneline/events';
import { loadWatchListFile, SENTIMENT_SAMPLE_FILES, sentimentSamplePath } from '@tuneline/sentiment';
import { buildSamples, DEFAULT_SAMPLE_SEED, renderSampleFiles, SAMPLE_SURGE_ENTITY } from './sample-stream';
import { TEMPLATES } from './sample-templates';

const watchList = loadWatchListFile();
const samples = buildSamples(watchList, DEFAULT_SAMPLE_SEED);

describe('sample generation', () => {
  it('reproduces the committed sample files byte for byte (rerun make-sample-stream.ts after changing templates)', () => {
    const files = renderSampleFiles(samples);
    for (const key of Object.keys(files) as (keyof typeof files)[]) {
      expect({ file: SENTIMENT_SAMPLE_FILES[key], text: readFileSync(sentimentSamplePath(key), 'utf8') }).toEqual({ file: SENTIMENT_SAMPLE_FILES[key], text: files[key] });
    }
  });

  it('writes >= 300 roughly balanced training sentences with unique ids and no unfilled slots', () => {
    const { sentences, topicExamples } = samples;
    expect(sentences.length).toBeGreaterThanOrEqual(300);
    const counts = { negative: 0, neutral: 0, positive: 0 };
    for (const s of sentences) counts[s.label]++;
    for (const n of Object.values(counts)) expect(n / sentences.length).toBeGreaterThan(0.28);
    expect(new Set(sentences.map((s) => s.id)).size).toBe(sentences.length);
    expect(sentences.some((s) => /[{}]/.test(s.text))).toBe(false);
    expect(topicExamples.map((t) => t.text)).toEqual(sentences.map((s) => s.text));
  });

  it('every stream record is a valid news.raw value, ids unique, spanning six hours', () => {
    for (const r of samples.records) validateValue(TOPICS.newsRaw, r);
    expect(new Set(samples.records.map((r) => r.id)).size).toBe(samples.records.length);
    expect(samples.records.length).toBeGreaterThanOrEqual(400);
    expect(samples.records.length).toBeLessThanOrEqual(600);
    const times = samples.records.map((r) => Date.parse(r.published_at));
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(5.9 * 3_600_000);
  });

  it('has one negative surge, for the surge entity, well above its baseline share', () => {
    const [surge] = samples.truth.surges;
    expect(samples.truth.surges).toHaveLength(1);
    expect(surge?.entity).toBe(SAMPLE_SURGE_ENTITY);
    const all = samples.truth.entities[SAMPLE_SURGE_ENTITY];
    if (!surge || !all) throw new Error('no surge');
    expect(surge.endMs - surge.startMs).toBe(30 * 60_000);
    expect(surge.negatives / surge.items).toBeGreaterThan(0.6);
    expect((all.negatives - surge.negatives) / (all.items - surge.items)).toBeLessThan(0.3);
  });

  it('uses every template label and topic', () => {
    expect(new Set(TEMPLATES.map((t) => t.topic)).size).toBe(8);
  });
});
