import { fitCollaborative } from '../collab/collaborative';
import { IdIndex } from '../data/id-index';
import { loadMovieLens } from '../data/movielens';
import { FeatureExtractor } from '../features/feature-extractor';
import { ItemPopularity } from '../features/item-popularity';
import { replayProfiles, seenIndices } from '../rank/offline-state';
import { emptyProfile } from '../profile/user-profile';
import { sampleMovieLensFiles } from '../samples';
import { sampleItemCatalog } from '../testing/hashing-embed';
import { TextNeighbours } from './text-neighbours';
import { generateCandidates, validateCandidateOptions } from './candidate-generator';

describe('generateCandidates', () => {
  it('merges each source\'s top items, never a seen one, and labels where each came from', async () => {
    const { catalog } = await sampleItemCatalog(64);
    const { ratings } = loadMovieLens(sampleMovieLensFiles());
    const popularity = new ItemPopularity();
    popularity.recordAll(ratings, (id) => catalog.indexOf(id));
    const collaborative = fitCollaborative(ratings, IdIndex.of(catalog.ids), { easeLambda: 20 });
    const { cooc, sequence, ease } = collaborative;
    if (!sequence || !ease) throw new Error('fitCollaborative fits both');
    const extractor = new FeatureExtractor({ catalog, popularity, cooc, sequence, ease, textNeighbours: new TextNeighbours(catalog, { k: 5 }) });
    const profiles = replayProfiles(ratings, catalog);
    const profile = profiles.get('1') ?? emptyProfile('1', 64);
    const user = extractor.user(profile, profile.lastEventMs);
    const seen = seenIndices(profile, catalog);
    const options = validateCandidateOptions({ collaborative: 5, cooccurrence: 3, sequence: 3, text: 3, textKnn: 3, trending: 2, popular: 4 });
    const { items, sources } = generateCandidates(user, popularity, catalog.size, seen, options);
    expect(items.length).toBeGreaterThanOrEqual(5);
    expect(items.length).toBeLessThanOrEqual(5 + 3 + 3 + 3 + 3 + 2);
    expect(Array.from(items)).toEqual(Array.from(items).sort((a, b) => a - b));
    for (const i of items) expect(seen.includes(i)).toBe(false);
    const all = new Set([...sources.values()].flat());
    for (const s of ['collaborative', 'text', 'textKnn', 'trending'] as const) expect(all.has(s)).toBe(true);
    expect(all.has('popular')).toBe(false); // only for a user without likes
    const cold = generateCandidates(extractor.user(emptyProfile('new', 64), profile.lastEventMs), popularity, catalog.size, new Int32Array(0), options);
    expect(new Set([...cold.sources.values()].flat())).toEqual(new Set(['trending', 'popular']));
    expect(() => validateCandidateOptions({ text: -1 })).toThrow(/text/);
  });
});
