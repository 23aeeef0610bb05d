import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sampleMovieLensFiles } from '@tuneline/recommend';
import { parseFlags, UsageError } from './bench-cli';
import { mergeBenchPart } from './bench-json';
import { RECOMMENDER_FLAT_KEYS, RECOMMENDER_QUALITY_CLI, recommenderQualityOptions } from './recommender-options';
import { baselineFlatKeys, prepareQualityData, runBaselines } from './recommender-protocol';

// A root whose ../shared does not exist, so the defaults point at missing files and these
// specs never read the shared datasets; they run the protocol on libs/recommend/samples.
let root: string;
beforeAll(() => {
  root = join(mkdtempSync(join(tmpdir(), 'bench-recommender-')), 'repo');
  mkdirSync(root);
});
afterAll(() => rmSync(join(root, '..'), { recursive: true, force: true }));

const sample = sampleMovieLensFiles();

function usageError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('recommender-quality flags', () => {
  it('--help lists every flag with its default', () => {
    const p = parseFlags(RECOMMENDER_QUALITY_CLI, ['--help']);
    const text = p.help ? p.usage : '';
    for (const f of RECOMMENDER_QUALITY_CLI.flags) expect(text).toContain(`--${f.name}`);
    expect(text).toContain('(default: ../shared/datasets/movielens_small/ratings.csv)');
  });

  it('names a missing default file and points at the flags', () => {
    expect(usageError(() => recommenderQualityOptions([], root))).toMatch(/--ratings \.\.\/shared\/datasets\/movielens_small\/ratings\.csv: no such file/);
  });

  it('resolves the files, the grid and the solver, and echoes the flags', () => {
    const o = recommenderQualityOptions(['--ratings', sample.ratings, '--movies', sample.movies, '--tags', 'none', '--lambdas', '5,50', '--ease-solver', 'users'], root);
    if ('help' in o) throw new Error('unexpected help');
    expect(o).toMatchObject({ ratings: sample.ratings, lambdas: [5, 50], knnK: 100, easeSolver: 'users', out: resolve(root, 'docs/benchmarks/recommender.json') });
    expect(o.tags).toBeUndefined();
    expect(o.flags).toContain('--tags none --lambdas 5,50 --knn-k 100 --train-min-rating 3.5 --ease-solver users');
  });

  it.each([
    [['--lambdas', '5,0'], /--lambdas must be numbers > 0/],
    [['--lambdas', '5,,6'], /without empty items/],
    [['--ease-solver', 'gpu'], /--ease-solver must be auto, items or users/],
    [['--knn-k', '0'], /--knn-k must be an integer >= 1/],
    [['--train-min-rating', '-1'], /--train-min-rating must be a number >= 0/],
  ])('rejects %j', (argv, message) => {
    expect(usageError(() => recommenderQualityOptions(['--ratings', sample.ratings, '--movies', sample.movies, '--tags', sample.tags, ...argv], root))).toMatch(message);
  });
});

describe('recommender-quality protocol on the sample', () => {
  it('runs the baselines and yields exactly the baseline keys of recommender.json', () => {
    const data = prepareQualityData(sample);
    expect(data.test.length).toBeGreaterThan(50);
    expect(data.validationTask.users.length).toBeGreaterThan(20);
    const r = runBaselines(data, { lambdas: [5, 50], knnK: 100, easeSolver: 'auto' });
    expect(r.ease.search.points).toHaveLength(2);
    expect(r.ease.metrics.ndcg10).toBeGreaterThan(r.popularity.metrics.ndcg10);
    const flat = baselineFlatKeys(r);
    expect(Object.keys(flat).sort()).toEqual(['easeColdNdcg10', 'easeHr10', 'easeNdcg10', 'easeRecall20', 'itemknnNdcg10', 'popularityNdcg10']);
    expect(Object.keys(flat).every((k) => RECOMMENDER_FLAT_KEYS.includes(k))).toBe(true);
    const merged = mergeBenchPart({ rankP99Ms: 12 }, { part: 'quality', command: 'c', date: 'd', machine: 'm', flat }, RECOMMENDER_FLAT_KEYS);
    expect(merged).toMatchObject({ rankP99Ms: 12, easeNdcg10: flat['easeNdcg10'] });
  });

  it('trains the baselines on ratings >= trainMinRating only', () => {
    const all = prepareQualityData(sample, { trainMinRating: 0 });
    const positive = prepareQualityData(sample);
    expect(all.trainMatrix.indices.length).toBe(all.train.length);
    expect(positive.trainMatrix.indices.length).toBe(positive.train.filter((x) => (x.value ?? 0) >= 3.5).length);
    expect(positive.trainMatrix.indices.length).toBeLessThan(all.trainMatrix.indices.length);
    expect(() => prepareQualityData(sample, { trainMinRating: -1 })).toThrow(RangeError);
  });

  it('with --test, trains on all ratings and drops tags that would leak a test pair', () => {
    // tags.csv has user 11 tagging item 1 "salvage" (its only "salvage" tag)
    const test = join(root, 'test.csv');
    writeFileSync(test, 'userId,movieId,rating,timestamp\n11,1,5.0,1800000000\n');
    const data = prepareQualityData({ ...sample, test });
    expect(data.droppedTags).toBe(1);
    expect(data.catalog.find((i) => i.id === '1')?.tags).toEqual(['space', 'slow burn']);
    expect(data.train.length).toBe(prepareQualityData(sample).train.length + prepareQualityData(sample).test.length);
    expect(data.task.users.map((u) => u.id)).toEqual(['11']);
  });
});
