import type { CatalogItem } from '../data/catalog-item';
import type { Reason } from '../rank/explain';
import type { BoostRule, RulesConfig } from './rules-config';

/** A scored item on its way to the response. */
export interface ScoredItem {
  readonly index: number;
  readonly score: number;
  readonly reasons: readonly Reason[];
}

/** What one rule did to this response. */
export interface AppliedRule {
  readonly rule: 'filterSeen' | 'boost' | 'diversity';
  readonly detail: string;
  /** Items removed, boosted or moved. */
  readonly affected: number;
}

export interface RuleContext {
  /** Catalog indices the user has seen. */
  readonly seen: ReadonlySet<number>;
  itemAt(index: number): CatalogItem;
  embeddingAt(index: number): Float32Array;
  /** Events on the item (for `cold` boosts). */
  countOf(index: number): number;
  readonly coldBelow: number;
  readonly now: number;
}

const DAY_MS = 86_400_000;

/** Whether boost `b` applies to `item` (with `count` events) at `ctx.now`. */
export function boostMatches(b: BoostRule, item: CatalogItem, count: number, ctx: Pick<RuleContext, 'coldBelow' | 'now'>): boolean {
  if (b.genres && !b.genres.some((g) => item.genres.includes(g))) return false;
  if (b.maxAgeDays !== undefined && !(item.createdAt !== undefined && ctx.now - item.createdAt <= b.maxAgeDays * DAY_MS && item.createdAt <= ctx.now)) return false;
  if (b.cold !== undefined && (count < ctx.coldBelow) !== b.cold) return false;
  return true;
}

const byScore = (a: ScoredItem, b: ScoredItem) => b.score - a.score || a.index - b.index;

/**
 * Applies the rules in order (filter seen, boosts, diversity) and returns the best `k`
 * with the rules that changed something. Boosted items carry a `boost:<name>` reason;
 * diversity re-orders but keeps each item's own score.
 */
export function applyRules(items: readonly ScoredItem[], rules: RulesConfig, ctx: RuleContext, k: number): { items: ScoredItem[]; applied: AppliedRule[] } {
  const applied: AppliedRule[] = [];
  let pool = items.slice();
  if (rules.filterSeen) {
    const before = pool.length;
    pool = pool.filter((x) => !ctx.seen.has(x.index));
    if (pool.length < before) applied.push({ rule: 'filterSeen', detail: 'items the user already interacted with are left out', affected: before - pool.length });
  }
  for (const b of rules.boosts) {
    let hit = 0;
    pool = pool.map((x) => {
      if (!boostMatches(b, ctx.itemAt(x.index), ctx.countOf(x.index), ctx)) return x;
      hit++;
      return { ...x, score: x.score + b.add, reasons: [...x.reasons, { name: `boost:${b.name}`, value: b.add }] };
    });
    if (hit) applied.push({ rule: 'boost', detail: `${b.name}: ${b.add >= 0 ? '+' : ''}${b.add} to matching items`, affected: hit });
  }
  pool.sort(byScore);
  if (rules.diversityLambda >= 1 || pool.length <= 1) return { items: pool.slice(0, k), applied };
  const picked = mmr(pool.slice(0, Math.max(k * 5, 50)), rules.diversityLambda, ctx, k);
  const moved = picked.filter((x, r) => pool[r]?.index !== x.index).length;
  if (moved) applied.push({ rule: 'diversity', detail: `MMR with λ = ${rules.diversityLambda} over item embeddings`, affected: moved });
  return { items: picked, applied };
}

/** Greedy maximal marginal relevance on min-max-scaled scores. */
function mmr(pool: ScoredItem[], lambda: number, ctx: RuleContext, k: number): ScoredItem[] {
  const hi = pool[0]?.score ?? 0;
  const lo = pool[pool.length - 1]?.score ?? 0;
  const rel = (s: number) => (hi > lo ? (s - lo) / (hi - lo) : 1);
  const maxSim = new Float64Array(pool.length).fill(-Infinity);
  const taken = new Uint8Array(pool.length);
  const out: ScoredItem[] = [];
  while (out.length < Math.min(k, pool.length)) {
    let best = -1;
    let bestValue = -Infinity;
    for (let i = 0; i < pool.length; i++) {
      if (taken[i]) continue;
      const penalty = out.length ? (maxSim[i] as number) : 0;
      const v = lambda * rel((pool[i] as ScoredItem).score) - (1 - lambda) * penalty;
      if (v > bestValue) { bestValue = v; best = i; }
    }
    taken[best] = 1;
    const chosen = pool[best] as ScoredItem;
    out.push(chosen);
    const e = ctx.embeddingAt(chosen.index);
    for (let i = 0; i < pool.length; i++) {
      if (taken[i]) continue;
      const f = ctx.embeddingAt((pool[i] as ScoredItem).index);
      let s = 0;
      for (let d = 0; d < e.length; d++) s += (e[d] as number) * (f[d] as number);
      if (s > (maxSim[i] as number)) maxSim[i] = s;
    }
  }
  return out;
}
