import { sampleMovieLensFiles } from '../samples';
import { RecommendDataError } from './data-error';
import { loadMovieLens, parseMovieLensMovies, parseMovieLensRatings, parseMovieLensTags, releaseDateOfTitle } from './movielens';

describe('MovieLens loaders', () => {
  it('load the sample catalog: 60 items with genres, descriptions, tags and release dates', () => {
    const { catalog, ratings } = loadMovieLens(sampleMovieLensFiles());
    expect(catalog).toHaveLength(60);
    const paris = catalog.find((i) => i.title.startsWith('Paris, Probably'));
    expect(paris).toEqual({
      id: '44',
      title: 'Paris, Probably (2015)',
      description: 'Strangers share a cancelled-flight road trip to Paris.',
      tags: ['road trip', 'romcom', 'travel'],
      genres: ['Romance', 'Comedy'],
      createdAt: Date.UTC(2015, 0, 1),
    });
    expect(ratings.length).toBeGreaterThan(300);
    expect(ratings[0]).toEqual({ userId: '1', itemId: '1', type: 'rate', value: 3.5, ts: 1704327585000 });
  });

  it('read the MovieLens layout: quoted titles, no-genre marker, no description column', () => {
    const text = 'movieId,title,genres\n1,"American President, The (1995)",Comedy|Drama|Romance\n2,Untitled,(no genres listed)\n';
    const items = parseMovieLensMovies(text, new Map([['1', ['politics']]]));
    expect(items).toEqual([
      { id: '1', title: 'American President, The (1995)', description: '', tags: ['politics'], genres: ['Comedy', 'Drama', 'Romance'], createdAt: Date.UTC(1995, 0, 1) },
      { id: '2', title: 'Untitled', description: '', tags: [], genres: [] },
    ]);
  });

  it('take the first year of a title, with or without a range and trailing space', () => {
    expect(releaseDateOfTitle('Toy Story (1995)')).toBe(Date.UTC(1995, 0, 1));
    expect(releaseDateOfTitle('Babylon 5 (1993–1998) ')).toBe(Date.UTC(1993, 0, 1));
    expect(releaseDateOfTitle('Fawlty Towers (1975-1979)')).toBe(Date.UTC(1975, 0, 1));
    expect(releaseDateOfTitle('2001 Maniacs')).toBeUndefined();
  });

  it('merge tags case-insensitively, most applied first, and apply keepTag', () => {
    const text = ['userId,movieId,tag,timestamp', '1,10,funny,100', '2,10,Dark,101', '3,10,dark,102', '4,10,  ,103', '5,11,sad,104'].join('\n');
    expect(parseMovieLensTags(text)).toEqual(new Map([['10', ['Dark', 'funny']], ['11', ['sad']]]));
    const kept = parseMovieLensTags(text, { keepTag: (r) => r.userId !== '2' && r.userId !== '3' && r.ts < 104_000 });
    expect(kept).toEqual(new Map([['10', ['funny']]]));
  });

  it('turn ratings into rate interactions with millisecond timestamps', () => {
    expect(parseMovieLensRatings('userId,movieId,rating,timestamp\n7,3,4.5,964982703\n')).toEqual([
      { userId: '7', itemId: '3', type: 'rate', value: 4.5, ts: 964982703000 },
    ]);
  });

  it.each([
    ['a missing column', 'userId,movieId,timestamp\n1,2,3\n', /missing column\(s\) rating/],
    ['a short row', 'userId,movieId,rating,timestamp\n1,2,4\n1,2,7,3\n', /invalid CSV/],
    ['a rating above 5', 'userId,movieId,rating,timestamp\n1,2,5.5,3\n', /ratings.csv:2: rating must be a number in \(0, 5\]/],
    ['an empty rating', 'userId,movieId,rating,timestamp\n1,2,,3\n', /rating must be a number/],
    ['a bad timestamp', 'userId,movieId,rating,timestamp\n1,2,3,yesterday\n', /ratings.csv:2: timestamp must be seconds/],
    ['an empty user', 'userId,movieId,rating,timestamp\n,2,3,4\n', /ratings.csv:2: empty userId/],
  ])('reject ratings with %s, naming the line', (_what, text, message) => {
    expect(() => parseMovieLensRatings(text)).toThrow(RecommendDataError);
    expect(() => parseMovieLensRatings(text)).toThrow(message);
  });

  it('reject a duplicate movie id and a missing file', () => {
    expect(() => parseMovieLensMovies('movieId,title,genres\n1,A,Drama\n1,B,Drama\n')).toThrow(/movies.csv:3: duplicate movieId 1/);
    expect(() => loadMovieLens({ movies: '/nonexistent/movies.csv' })).toThrow(/cannot read file/);
    expect(() => loadMovieLens({ movies: '' })).toThrow(TypeError);
  });
});
