import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CatalogItem } from '../data/catalog-item';
import { HASHING_ENCODER_CHECKSUM, hashingEmbed } from '../testing/hashing-embed';
import { ItemCatalog } from './item-catalog';
import { itemText, MAX_TEXT_TAGS } from './item-text';

const item = (id: string, over: Partial<CatalogItem> = {}): CatalogItem => ({
  id, title: `Film ${id}`, description: '', tags: ['space', 'salvage'], genres: ['Sci-Fi'], createdAt: Date.UTC(2011, 0, 1), ...over,
});

describe('itemText', () => {
  it('joins title, description, genres and the leading tags, leaving empty parts out', () => {
    expect(itemText(item('1'))).toBe('Film 1. Sci-Fi. space, salvage');
    expect(itemText(item('2', { description: 'A crew drifts.', genres: ['Sci-Fi', 'Drama'], tags: [] }))).toBe('Film 2. A crew drifts.. Sci-Fi, Drama');
    const many = Array.from({ length: MAX_TEXT_TAGS + 3 }, (_, i) => `t${i}`);
    expect(itemText(item('3', { tags: many })).endsWith(`t${MAX_TEXT_TAGS - 1}`)).toBe(true);
  });
});

describe('ItemCatalog', () => {
  const open = (embed = hashingEmbed(16), cacheDir?: string) =>
    ItemCatalog.open({ embed, dim: 16, encoderChecksum: HASHING_ENCODER_CHECKSUM, ...(cacheDir ? { cacheDir } : {}) });

  it('numbers items densely, embeds each distinct text once, and keeps unit-length rows', async () => {
    const embed = hashingEmbed(16);
    const catalog = await open(embed);
    const counts = await catalog.upsertMany([item('a'), item('b', { title: 'Film a' }), item('c')]);
    expect(counts).toEqual({ added: 3, updated: 0, unchanged: 0, encoded: 2 });
    expect(catalog.ids).toEqual(['a', 'b', 'c']);
    expect(catalog.indexOf('c')).toBe(2);
    expect(catalog.indexOf('zzz')).toBe(-1);
    const m = catalog.embeddings();
    expect(m.rows).toBe(3);
    for (let r = 0; r < 3; r++) expect(Math.hypot(...m.data.subarray(r * 16, (r + 1) * 16))).toBeCloseTo(1, 5);
    // 'a' and 'b' have the same text, so the same vector
    expect(Array.from(catalog.embeddingAt(0))).toEqual(Array.from(catalog.embeddingAt(1)));
  });

  it('re-embeds only when the text changes: added / updated / unchanged', async () => {
    const embed = hashingEmbed(16);
    const catalog = await open(embed);
    expect(await catalog.upsert(item('a'))).toBe('added');
    const before = Float32Array.from(catalog.embeddingAt(0));
    const revision = catalog.revision;
    expect(await catalog.upsert(item('a'))).toBe('unchanged');
    expect(catalog.revision).toBe(revision);
    expect(await catalog.upsert(item('a', { createdAt: Date.UTC(2012, 0, 1) }))).toBe('updated'); // text unchanged: no encoder call
    expect(embed.texts).toHaveLength(1);
    expect(catalog.get('a')?.createdAt).toBe(Date.UTC(2012, 0, 1));
    expect(await catalog.upsert(item('a', { tags: ['romance'] }))).toBe('updated');
    expect(embed.texts).toEqual(['Film a. Sci-Fi. space, salvage', 'Film a. Sci-Fi. romance']);
    expect(Array.from(catalog.embeddingAt(0))).not.toEqual(Array.from(before));
    expect(catalog.size).toBe(1);
  });

  it('applies upserts in call order even when an earlier embedding is slower', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const inner = hashingEmbed(16);
    const slowFirst = async (texts: readonly string[]) => {
      if (inner.texts.length === 0) await gate;
      return inner(texts);
    };
    const catalog = await open(slowFirst as never);
    const first = catalog.upsert(item('a', { title: 'Old title' }));
    const second = catalog.upsert(item('a', { title: 'New title' }));
    release();
    expect(await Promise.all([first, second])).toEqual(['added', 'updated']);
    expect(catalog.get('a')?.title).toBe('New title');
  });

  it('reads vectors from the on-disk cache in a second catalog, so the encoder is not called again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalog-cache-'));
    await (await open(hashingEmbed(16), dir)).upsertMany([item('a'), item('b', { title: 'Other' })]);
    const embed = hashingEmbed(16);
    const again = await open(embed, dir);
    expect(await again.upsertMany([item('a'), item('b', { title: 'Other' })])).toMatchObject({ added: 2, encoded: 0 });
    expect(embed.texts).toEqual([]);
  });

  it('validates items before changing anything, naming the field', async () => {
    const catalog = await open();
    await expect(catalog.upsertMany([item('ok'), { ...item('x'), genres: 'Drama' as never }])).rejects.toThrow(/items\[1\]\.genres/);
    await expect(catalog.upsert({ ...item('y'), id: '' })).rejects.toThrow(/items\[0\]\.id/);
    await expect(catalog.upsert({ id: 'z', title: '', description: '', tags: [], genres: [] })).rejects.toThrow(/no text to embed/);
    expect(catalog.size).toBe(0);
    await expect(ItemCatalog.open({ embed: hashingEmbed(4), dim: 4, encoderChecksum: 'abc' })).rejects.toThrow(/encoderChecksum/);
    const wrongWidth = await ItemCatalog.open({ embed: hashingEmbed(3), dim: 4, encoderChecksum: HASHING_ENCODER_CHECKSUM });
    await expect(wrongWidth.upsert(item('w'))).rejects.toThrow(/3 values, expected 4/);
    expect(() => catalog.embeddingAt(5)).toThrow(RangeError);
  });
});
