import { IncompatibleLabelsError, LabelsMismatchError } from './errors';

/**
 * How a new version's labels may differ from the served ones. `superset` (default): labels
 * may be added, none the service serves may go (callers may hold them, e.g. routing rules).
 * `same`: the same set (order may change: the model dir maps outputs to names). `any`: no check.
 */
export type LabelPolicy = 'same' | 'superset' | 'any';

export const LABEL_POLICIES: readonly LabelPolicy[] = ['same', 'superset', 'any'];
export const DEFAULT_LABEL_POLICY: LabelPolicy = 'superset';

/** labels.json on disk must say exactly what the event announced (absent = no labels). */
export function checkLabelsMatchEvent(onDisk: readonly string[] | undefined, announced: readonly string[]): void {
  const disk = onDisk ?? [];
  if (disk.length !== announced.length || disk.some((l, i) => l !== announced[i])) {
    throw new LabelsMismatchError(`labels.json [${disk.join(', ')}] differs from the event's labels [${announced.join(', ')}]`);
  }
}

/** Throws IncompatibleLabelsError when `next` breaks the policy against `served` (none served: anything goes). */
export function checkLabelCompatibility(served: readonly string[] | undefined, next: readonly string[], policy: LabelPolicy): void {
  if (!LABEL_POLICIES.includes(policy)) throw new TypeError(`labelPolicy: expected one of ${LABEL_POLICIES.join(', ')}, got ${String(policy)}`);
  if (policy === 'any' || !served) return;
  const nextSet = new Set(next);
  const removed = served.filter((l) => !nextSet.has(l));
  if (removed.length > 0) {
    throw new IncompatibleLabelsError(`the new version drops served label(s) ${removed.join(', ')} (label policy "${policy}")`);
  }
  const servedSet = new Set(served);
  const added = next.filter((l) => !servedSet.has(l));
  if (policy === 'same' && added.length > 0) {
    throw new IncompatibleLabelsError(`the new version adds label(s) ${added.join(', ')} (label policy "same")`);
  }
}
