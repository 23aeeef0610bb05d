import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classCounts, loadDataset } from './load-dataset';
import { createRng, shuffleInPlace } from '../math/random';
import { stratifiedSplit } from './split';

/** The original (quadratic) split, kept as the reference the fast one must reproduce exactly. */
function referenceSplit<T>(rows: readonly T[], labelOf: (r: T) => string, fraction: number, seed: number): { train: T[]; validation: T[] } {
  const rng = createRng(seed);
  const byClass = new Map<string, T[]>();
  for (const r of rows) byClass.set(labelOf(r), [...(byClass.get(labelOf(r)) ?? []), r]);
  const train: T[] = [];
  const validation: T[] = [];
  for (const label of [...byClass.keys()].sort()) {
    const group = shuffleInPlace([...(byClass.get(label) as T[])], rng);
    const nVal = group.length < 2 ? 0 : Math.max(1, Math.round(group.length * fraction));
    validation.push(...group.slice(0, nVal));
    train.push(...group.slice(nVal));
  }
  return { train: shuffleInPlace(train, rng), validation: shuffleInPlace(validation, rng) };
}

const dir = mkdtempSync(join(tmpdir(), 'ds-'));
const file = (name: string, body: string) => { const p = join(dir, name); writeFileSync(p, body); return p; };

describe('loadDataset', () => {
  it('reads classification JSONL and CSV (quoted fields with commas and line breaks)', async () => {
    const j = await loadDataset(file('a.jsonl', '{"text":"hi","label":"x"}\n\n{"id":"k","text":"yo","label":"y"}\n'), 'classify');
    expect(j).toEqual([{ id: 'line-1', text: 'hi', label: 'x', line: 1 }, { id: 'k', text: 'yo', label: 'y', line: 3 }]);
    const c = await loadDataset(file('a.csv', 'text,label\n"a, b",x\n"multi\nline",y\nplain,x\n'), 'classify');
    expect(c.map((r) => [r.text, r.line])).toEqual([['a, b', 2], ['multi\nline', 3], ['plain', 5]]);
  });

  it.each([
    ['m.jsonl', '{"text":"ok","label":"a"}\n{"label":"b"}\n', 'classify', /m.jsonl:2: missing field "text"/],
    ['e.jsonl', '{"text":"ok","label":"a"}\n{"text":"   ","label":"b"}\n', 'classify', /e.jsonl:2: field "text" is empty/],
    ['j.jsonl', '{"text":"ok","label":"a"}\n{not json\n', 'classify', /j.jsonl:2: invalid JSON/],
    ['d.jsonl', '{"id":"1","text":"a","label":"a"}\n{"id":"2","text":"b","label":"a"}\n{"id":"1","text":"c","label":"a"}\n', 'classify', /d.jsonl:3: duplicate id "1" \(first seen on line 1\)/],
    ['l.csv', 'text,label\nfine,a\nno label,\n', 'classify', /l.csv:3: missing field "label"/],
    ['p.jsonl', '{"text_a":"x","label":"same"}\n', 'pair', /p.jsonl:1: missing field "text_b"/],
    ['r.jsonl', '{"user":"u","item_text":"t","label":3}\n', 'rank', /r.jsonl:1: field "label" must be 0 or 1/],
    ['ml.jsonl', '{"text":"t","labels":"a"}\n{"text":"t"}\n', 'multilabel', /ml.jsonl:2: missing field "labels"/],
    ['x.txt', 'hello', 'classify', /unsupported file type ".txt"/],
    ['empty.jsonl', '\n', 'classify', /dataset is empty/],
  ] as const)('names file and line for a bad row (%s)', async (name, body, task, message) => {
    await expect(loadDataset(file(name, body), task)).rejects.toThrow(message);
  });

  it('reads columns named otherwise when told their names (Banking77: text,category)', async () => {
    const f = file('b77.csv', 'text,category\nwhere is my card?,card_arrival\n');
    expect(await loadDataset(f, 'classify', { fields: { label: 'category' } })).toEqual([{ id: 'line-2', text: 'where is my card?', label: 'card_arrival', line: 2 }]);
    const q = file('q.jsonl', '{"body":"hi","intent":"greet"}\n');
    expect((await loadDataset(q, 'classify', { fields: { text: 'body', label: 'intent' } }))[0]).toMatchObject({ text: 'hi', label: 'greet' });
    const pr = file('pr.jsonl', '{"q":"a","d":"b","y":"same"}\n');
    expect((await loadDataset(pr, 'pair', { fields: { textA: 'q', textB: 'd', label: 'y' } }))[0]).toMatchObject({ textA: 'a', textB: 'b', label: 'same' });
    const ml = file('mlf.jsonl', '{"text":"t","tags":["a","b"]}\n');
    expect((await loadDataset(ml, 'multilabel', { fields: { label: 'tags' } }))[0]?.labels).toEqual(['a', 'b']);
  });

  it('a missing column lists the columns found and names the option to set', async () => {
    const f = file('b77b.csv', 'text,category\nwhere is my card?,card_arrival\n');
    await expect(loadDataset(f, 'classify')).rejects.toThrow(
      /b77b.csv:2: missing field "label" \(columns found: text, category\); if the labels are in another column, name it with --label-field \(fields.label\)/);
    await expect(loadDataset(file('t.jsonl', '{"body":"x","label":"a"}\n'), 'classify')).rejects.toThrow(/missing field "text" \(columns found: body, label\).*--text-field/);
    await expect(loadDataset(file('p3.jsonl', '{"text_a":"x","label":"a"}\n'), 'pair')).rejects.toThrow(/missing field "text_b" \(columns found: text_a, label\).*--text-b-field/);
    await expect(loadDataset(f, 'classify', { fields: { label: 'intent' } })).rejects.toThrow(/missing field "intent" \(columns found: text, category\)/);
  });

  it('rejects labels the model does not know', async () => {
    await expect(loadDataset(file('u.jsonl', '{"text":"a","label":"a"}\n{"text":"b","label":"zzz"}\n'), 'classify', { knownLabels: ['a'] }))
      .rejects.toThrow(/u.jsonl:2: unknown label "zzz"/);
  });

  it('reads multi-label (array or a|b), pairs and ranking rows', async () => {
    const ml = await loadDataset(file('ml2.jsonl', '{"text":"t","labels":["a","b"]}\n'), 'multilabel');
    expect(ml[0]?.labels).toEqual(['a', 'b']);
    const mlc = await loadDataset(file('ml.csv', 'text,labels\nt,a|b\n'), 'multilabel');
    expect(mlc[0]?.labels).toEqual(['a', 'b']);
    const p = await loadDataset(file('p2.jsonl', '{"text_a":"x","text_b":"y","label":"same"}\n'), 'pair');
    expect(p[0]).toMatchObject({ textA: 'x', textB: 'y', label: 'same' });
    const r = await loadDataset(file('r2.csv', 'user,item_text,label\nu1,a film,1\n'), 'rank');
    expect(r[0]).toMatchObject({ user: 'u1', itemText: 'a film', label: 1 });
  });
});

describe('stratifiedSplit and classCounts', () => {
  const rows = Array.from({ length: 100 }, (_, i) => ({ i, label: i < 80 ? 'big' : i < 95 ? 'mid' : 'tiny' }));

  it('keeps class shares in validation and is deterministic per seed', () => {
    const s = stratifiedSplit(rows, (r) => r.label, 0.2, 1);
    expect(classCounts(s.validation.map((r) => r.label))).toEqual({ big: 16, mid: 3, tiny: 1 });
    expect(s.train.length + s.validation.length).toBe(100);
    expect(stratifiedSplit(rows, (r) => r.label, 0.2, 1).validation.map((r) => r.i)).toEqual(s.validation.map((r) => r.i));
    expect(stratifiedSplit(rows, (r) => r.label, 0.2, 2).validation.map((r) => r.i)).not.toEqual(s.validation.map((r) => r.i));
  });

  it('matches the reference split (same rows, same order) for a seed', () => {
    const mixed = Array.from({ length: 500 }, (_, i) => ({ i, label: ['a', 'b', 'c', 'd'][(i * 7) % 11 % 4] as string }));
    for (const seed of [1, 9]) {
      const fast = stratifiedSplit(mixed, (r) => r.label, 0.15, seed);
      const ref = referenceSplit(mixed, (r) => r.label, 0.15, seed);
      expect(fast.train.map((r) => r.i)).toEqual(ref.train.map((r) => r.i));
      expect(fast.validation.map((r) => r.i)).toEqual(ref.validation.map((r) => r.i));
    }
  });

  it('splits 200k rows in linear time (seconds, not the minutes a quadratic split takes), still stratified', () => {
    const n = 200_000;
    const big = Array.from({ length: n }, (_, i) => ({ i, label: i % 10 < 7 ? 'major' : i % 10 < 9 ? 'minor' : 'rare' }));
    // A complexity guard, not a benchmark: the quadratic split took ~200 s of CPU here and a
    // linear one takes well under 1 s, so a 5 s bound cannot flake on a slow CI machine.
    // CPU time of this process, not wall time: the machine may be busy with other work.
    const before = process.cpuUsage();
    const s = stratifiedSplit(big, (r) => r.label, 0.1, 3);
    const { user, system } = process.cpuUsage(before);
    expect((user + system) / 1000).toBeLessThan(5000);
    expect(classCounts(s.validation.map((r) => r.label))).toEqual({ major: 14_000, minor: 4_000, rare: 2_000 });
    expect(new Set([...s.train, ...s.validation].map((r) => r.i)).size).toBe(n);
  }, 120_000);

  it('rejects a bad fraction', () => {
    expect(() => stratifiedSplit(rows, (r) => r.label, 1, 1)).toThrow(RangeError);
  });
});
