import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecommendDataError } from './data-error';
import { movieLensFilesIn } from './movielens-dir';

describe('movieLensFilesIn', () => {
  const root = mkdtempSync(join(tmpdir(), 'movielens-dir-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('lists movies.csv and whichever of ratings.csv and tags.csv are present', () => {
    const dir = join(root, 'some');
    mkdirSync(dir);
    writeFileSync(join(dir, 'movies.csv'), '');
    expect(movieLensFilesIn(dir)).toEqual({ movies: join(dir, 'movies.csv') });
    writeFileSync(join(dir, 'ratings.csv'), '');
    writeFileSync(join(dir, 'tags.csv'), '');
    expect(movieLensFilesIn(dir)).toEqual({ movies: join(dir, 'movies.csv'), ratings: join(dir, 'ratings.csv'), tags: join(dir, 'tags.csv') });
  });

  it('refuses a missing path, a file, and a directory without movies.csv, naming it', () => {
    expect(() => movieLensFilesIn(join(root, 'nowhere'))).toThrow(RecommendDataError);
    expect(() => movieLensFilesIn(join(root, 'nowhere'))).toThrow(`${join(root, 'nowhere')}: not a directory`);
    writeFileSync(join(root, 'file.csv'), '');
    expect(() => movieLensFilesIn(join(root, 'file.csv'))).toThrow('not a directory');
    mkdirSync(join(root, 'empty'));
    expect(() => movieLensFilesIn(join(root, 'empty'))).toThrow(`${join(root, 'empty')}: movies.csv not found`);
  });
});
