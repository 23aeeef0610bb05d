/**
 * Each entity's negative share over time, for the Alerts view's sparklines: points from the
 * alerts the hub sees and from GetEntitySentiment windows the BFF asks for. Bounded: a
 * fixed number of points per entity and of entities (the least recently updated go first).
 */
import type { SeriesPointJson } from './types';

export class EntitySeries {
  private readonly byEntity = new Map<string, SeriesPointJson[]>();

  constructor(
    private readonly maxPoints = 60,
    private readonly maxEntities = 500,
  ) {}

  add(entity: string, point: SeriesPointJson): void {
    const points = this.byEntity.get(entity) ?? [];
    this.byEntity.delete(entity); // re-inserted last: Map order = least recently updated first
    // One point per window end and source: a second answer for the same window replaces the first.
    const same = points.findIndex((p) => p.at === point.at && p.source === point.source);
    if (same >= 0) points.splice(same, 1);
    points.push(point);
    points.sort((a, b) => a.at.localeCompare(b.at));
    if (points.length > this.maxPoints) points.splice(0, points.length - this.maxPoints);
    this.byEntity.set(entity, points);
    while (this.byEntity.size > this.maxEntities) {
      const oldest = this.byEntity.keys().next().value;
      if (oldest === undefined) break;
      this.byEntity.delete(oldest);
    }
  }

  points(entity: string): SeriesPointJson[] {
    return [...(this.byEntity.get(entity) ?? [])];
  }
}
