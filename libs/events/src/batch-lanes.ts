/**
 * Starts `run` for every item in order: items of the same lane run one after another,
 * different lanes concurrently; an item whose lane is undefined runs on its own.
 * Resolves when all have finished (`run` must not reject).
 */
export async function runInLanes<T>(
  items: readonly T[],
  laneOf: (item: T) => string | undefined,
  run: (item: T, index: number) => Promise<void>,
): Promise<void> {
  const lanes = new Map<string, Promise<void>>();
  const tasks = items.map((item, index) => {
    const lane = laneOf(item);
    const previous = lane === undefined ? undefined : lanes.get(lane);
    const task = previous ? previous.then(() => run(item, index)) : run(item, index);
    if (lane !== undefined) lanes.set(lane, task);
    return task;
  });
  await Promise.all(tasks);
}
