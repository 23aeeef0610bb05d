/**
 * Mean over groups (that have both labels) of the fraction of (positive, negative) pairs
 * ordered correctly, ties counting half: how well a score ranks within a user. NaN when
 * no group has both.
 */
export function groupAuc(scores: ArrayLike<number>, labels: ArrayLike<number>, groups: ArrayLike<number>): number {
  const byGroup = rowsByGroup(groups);
  let sum = 0;
  let counted = 0;
  for (const rows of byGroup.values()) {
    // Rank-sum (Mann–Whitney U) with average ranks for ties.
    const sorted = rows.slice().sort((a, b) => (scores[a] as number) - (scores[b] as number));
    let nPos = 0;
    let rankSum = 0;
    for (let s = 0; s < sorted.length;) {
      let e = s;
      while (e + 1 < sorted.length && scores[sorted[e + 1] as number] === scores[sorted[s] as number]) e++;
      const avg = (s + e) / 2 + 1;
      for (let k = s; k <= e; k++) if (labels[sorted[k] as number]) { nPos++; rankSum += avg; }
      s = e + 1;
    }
    const nNeg = sorted.length - nPos;
    if (nPos === 0 || nNeg === 0) continue;
    sum += (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
    counted++;
  }
  return counted ? sum / counted : NaN;
}

function rowsByGroup(groups: ArrayLike<number>): Map<number, number[]> {
  const byGroup = new Map<number, number[]>();
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i] as number;
    const list = byGroup.get(g);
    if (list) list.push(i);
    else byGroup.set(g, [i]);
  }
  return byGroup;
}

/**
 * Mean over groups with a positive of NDCG@k with binary gains: DCG of the positives in the
 * group's top k by score (ties to the earlier row) over the ideal, min(k, positives) hits.
 * NaN when no group has a positive.
 */
export function groupNdcg(scores: ArrayLike<number>, labels: ArrayLike<number>, groups: ArrayLike<number>, k = 10): number {
  let sum = 0;
  let counted = 0;
  for (const rows of rowsByGroup(groups).values()) {
    const positives = rows.filter((r) => labels[r]).length;
    if (positives === 0) continue;
    const top = rows.slice().sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b).slice(0, k);
    let dcg = 0;
    top.forEach((r, rank) => { if (labels[r]) dcg += 1 / Math.log2(rank + 2); });
    let ideal = 0;
    for (let rank = 0; rank < Math.min(k, positives); rank++) ideal += 1 / Math.log2(rank + 2);
    sum += dcg / ideal;
    counted++;
  }
  return counted ? sum / counted : NaN;
}
