import { parseCatalogCsv, parseCatalogJsonl, catalogItemOf, catalogValueOf } from './catalog-file';

describe('catalog files', () => {
  it('JSONL: keeps valid catalog.items values, reports bad lines by number', () => {
    const text = [
      JSON.stringify({ id: 'a', title: 'Alpha', genres: ['Drama'], createdAt: '2020-01-01T00:00:00Z' }),
      '',
      '{not json',
      JSON.stringify({ id: 'b' }),
      JSON.stringify({ id: 'c', title: 'Gamma', tags: ['x'] }),
    ].join('\n');
    const { items, bad } = parseCatalogJsonl(text);
    expect(items.map((i) => i.id)).toEqual(['a', 'c']);
    expect(bad).toEqual([{ line: 3, reason: 'not valid JSON' }, { line: 4, reason: expect.stringMatching(/^title: /) }]);
  });

  it('MovieLens CSV: movies with genres, description and tags become catalog.items values', () => {
    const movies = 'movieId,title,genres,description\n1,Orbit of Ash (2011),Sci-Fi|Adventure,A salvage crew.\n2,Quiet (1999),(no genres listed),\n';
    const tags = 'userId,movieId,tag,timestamp\n1,1,space,1\n2,1,space,2\n3,1,salvage,3\n';
    const { items, bad } = parseCatalogCsv(movies, tags);
    expect(bad).toEqual([]);
    expect(items).toEqual([
      { id: '1', title: 'Orbit of Ash (2011)', description: 'A salvage crew.', tags: ['space', 'salvage'], genres: ['Sci-Fi', 'Adventure'], createdAt: '2011-01-01T00:00:00.000Z' },
      { id: '2', title: 'Quiet (1999)', createdAt: '1999-01-01T00:00:00.000Z' },
    ]);
  });

  it('converts between catalog.items values and libs/recommend items both ways', () => {
    const value = { id: 'x', title: 'T', description: 'd', tags: ['a'], genres: ['g'], createdAt: '2021-05-01T00:00:00.000Z' };
    expect(catalogValueOf(catalogItemOf(value))).toEqual(value);
    expect(catalogItemOf({ id: 'y', title: 'U' })).toEqual({ id: 'y', title: 'U', description: '', tags: [], genres: [] });
  });
});
