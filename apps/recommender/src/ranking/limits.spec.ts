import { ValidationError } from '@tuneline/platform';
import { checkRankCall, checkRecommendCall } from './limits';

const limits = { maxCandidates: 3, maxK: 5, defaultK: 2 };
const inline = { title: 'T', description: '', tags: [], genres: [] };

function errorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

describe('checkRankCall', () => {
  it('accepts ids and inline items within the limits', () => {
    expect(() => checkRankCall({ userId: 'u', candidates: [{ itemId: 'a' }, { itemId: 'b', inline }], k: 5 }, limits)).not.toThrow();
  });

  it('too many candidates: 413, the message names the limit', () => {
    const err = errorOf(() => checkRankCall({ userId: 'u', candidates: ['a', 'b', 'c', 'd'].map((itemId) => ({ itemId })) }, limits));
    expect(err).toMatchObject({ kind: 'too-large', httpStatus: 413, field: 'candidates', code: 'INVALID_ARGUMENT' });
    expect(err.message).toBe('candidates: 4 sent; the limit is 3 per request');
  });

  it('names the bad field: user id, empty list, item id, k, inline text and sizes', () => {
    expect(errorOf(() => checkRankCall({ userId: ' ', candidates: [{ itemId: 'a' }] }, limits)).field).toBe('userId');
    expect(errorOf(() => checkRankCall({ userId: 'u', candidates: [] }, limits)).field).toBe('candidates');
    expect(errorOf(() => checkRankCall({ userId: 'u', candidates: [{ itemId: 'a' }, { itemId: '' }] }, limits)).field).toBe('candidates[1].itemId');
    expect(errorOf(() => checkRankCall({ userId: 'u', candidates: [{ itemId: 'a' }], k: 6 }, limits)).message).toBe('k is 6; the limit is 5');
    expect(errorOf(() => checkRankCall({ userId: 'u', candidates: [{ itemId: 'a' }], k: 0 }, limits)).field).toBe('k');
    expect(errorOf(() => checkRankCall({ userId: 'u', candidates: [{ itemId: 'a', inline: { ...inline, title: '' } }] }, limits)).field).toBe('candidates[0]');
    expect(errorOf(() => checkRankCall({ userId: 'u', candidates: [{ itemId: 'a', inline: { ...inline, tags: [''] } }] }, limits)).field).toBe('candidates[0].tags[0]');
    expect(errorOf(() => checkRankCall({ userId: 'u', candidates: [{ itemId: 'a', inline: { ...inline, title: 'x'.repeat(501) } }] }, limits)).field).toBe('candidates[0].title');
    expect(errorOf(() => checkRankCall({ userId: 'u'.repeat(257), candidates: [{ itemId: 'a' }] }, limits)).field).toBe('userId');
  });
});

describe('checkRecommendCall', () => {
  it('defaults k and refuses one above the limit', () => {
    expect(checkRecommendCall({ userId: 'u' }, limits)).toBe(2);
    expect(checkRecommendCall({ userId: 'u', k: 5 }, limits)).toBe(5);
    expect(errorOf(() => checkRecommendCall({ userId: 'u', k: 50 }, limits)).httpStatus).toBe(400);
    expect(errorOf(() => checkRecommendCall({ userId: 'u', k: 1.5 }, limits)).field).toBe('k');
  });
});
