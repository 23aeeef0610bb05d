// Writes metric-moves.train.jsonl and metric-moves.test.jsonl (project-made, deterministic):
//   node libs/finetune/samples/make-metric-moves.mjs
// "<Company>'s <metric> <verb> by <n> % in <period> ." is positive iff a good metric went up
// or a bad one went down: the label is an XOR of direction and the metric's polarity, which a
// linear probe on a frozen sentence embedding cannot draw but trained top layers can. Each of
// the four (polarity, direction) cells is a quarter of each file, so either feature alone
// scores 50%. Companies, periods and verbs of the test file never occur in the training file
// (metrics are shared: their polarity is what is learnt), so the test cannot be memorised.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const GOOD = ['profit', 'revenue', 'sales', 'margin', 'earnings', 'orders'];
const BAD = ['costs', 'losses', 'debt', 'expenses', 'defaults', 'arrears'];
const SPLITS = {
  train: {
    rows: 240,
    companies: ['Arvona', 'Belcor', 'Caldris', 'Dunmore', 'Elvaro', 'Fennick', 'Grantis', 'Holmvik', 'Istra', 'Jorvane', 'Kelsar', 'Lindqvist',
      'Marova', 'Norvell', 'Ostrand', 'Pellucid', 'Quarry Hill', 'Rendale', 'Sorvik', 'Talbrook', 'Ulmena', 'Vesterby', 'Wexford Mills', 'Yarrow'],
    periods: ['the first quarter', 'the second quarter', 'the first half', '2019', '2020', '2021'],
    up: ['rose', 'grew', 'increased', 'jumped'],
    down: ['fell', 'declined', 'decreased', 'dropped'],
  },
  test: {
    rows: 120,
    companies: ['Abernethy', 'Brisco', 'Corvane', 'Delmar', 'Eskeland', 'Fairlight', 'Gorsedd', 'Haldane', 'Ivarsson', 'Kestrel Bay', 'Lorimer', 'Mossgiel'],
    periods: ['the third quarter', 'the fourth quarter', 'the second half', '2022', '2023'],
    up: ['climbed', 'surged', 'soared'],
    down: ['slumped', 'tumbled', 'shrank'],
  },
};

/** mulberry32: a fixed seed gives the same files on every machine. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function rows(name, s, next) {
  const pick = (xs) => xs[Math.floor(next() * xs.length)];
  const seen = new Set();
  const out = [];
  while (out.length < s.rows) {
    const cell = out.length % 4;
    const good = cell < 2;
    const up = cell % 2 === 0;
    const text = `${pick(s.companies)}'s ${pick(good ? GOOD : BAD)} ${pick(up ? s.up : s.down)} by ${2 + Math.floor(next() * 38)} % in ${pick(s.periods)} .`;
    if (seen.has(text)) continue;
    seen.add(text);
    out.push({ id: `${name}-${String(out.length + 1).padStart(3, '0')}`, text, label: good === up ? 'positive' : 'negative' });
  }
  return out;
}

const here = dirname(fileURLToPath(import.meta.url));
const next = rng(20261129);
for (const [name, s] of Object.entries(SPLITS)) {
  writeFileSync(join(here, `metric-moves.${name}.jsonl`), rows(name, s, next).map((r) => JSON.stringify(r)).join('\n') + '\n');
}
