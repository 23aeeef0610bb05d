import type { CatalogItem } from '../data/catalog-item';
import { hashingEmbed } from '../testing/hashing-embed';
import { InlineEmbeddings } from './inline-embeddings';
import { itemText } from './item-text';

const item = (id: string, title: string): CatalogItem => ({ id, title, description: '', tags: [], genres: [] });

describe('InlineEmbeddings', () => {
  it('embeds each new text once, keeps at most maxItems (least recently used dropped), and answers in order', async () => {
    const embed = hashingEmbed(8);
    const inline = new InlineEmbeddings(embed, 2);
    const [a, b] = await inline.of([item('a', 'Alpha'), item('b', 'Beta'), item('a2', 'Alpha')]);
    expect(embed.texts).toEqual([itemText(item('a', 'Alpha')), itemText(item('b', 'Beta'))]);
    expect(Array.from(a as Float32Array)).toEqual(Array.from((await embed([itemText(item('a', 'Alpha'))]))[0] as Float32Array));
    expect(b).not.toEqual(a);
    embed.texts.length = 0;
    await inline.of([item('a', 'Alpha')]); // a hit, now the most recent
    await inline.of([item('c', 'Gamma')]); // evicts Beta
    expect(inline.size).toBe(2);
    await inline.of([item('a', 'Alpha'), item('b', 'Beta')]);
    expect(embed.texts).toEqual([itemText(item('c', 'Gamma')), itemText(item('b', 'Beta'))]);
  });

  it('answers every item even when one call holds more than it keeps; 0 keeps nothing; bad options refused', async () => {
    const embed = hashingEmbed(8);
    const vectors = await new InlineEmbeddings(embed, 1).of([item('a', 'Alpha'), item('b', 'Beta'), item('a', 'Alpha')]);
    expect(vectors.every((v) => v instanceof Float32Array && v.length === 8)).toBe(true);
    const none = new InlineEmbeddings(embed, 0);
    await none.of([item('a', 'Alpha')]);
    expect(none.size).toBe(0);
    expect(() => new InlineEmbeddings(embed, -1)).toThrow(/maxItems/);
  });
});
