/**
 * A dense 0..size-1 numbering of string ids (users or items), so models work on typed
 * arrays indexed by position instead of maps keyed by id. Insertion order is the index order.
 */
export class IdIndex {
  private readonly byId = new Map<string, number>();
  private readonly list: string[] = [];

  /** An index over `ids` in order; a repeated id keeps its first position. */
  static of(ids: Iterable<string>): IdIndex {
    const index = new IdIndex();
    for (const id of ids) index.add(id);
    return index;
  }

  /** Position of `id`, adding it at the end when new. */
  add(id: string): number {
    if (typeof id !== 'string' || id === '') throw new TypeError(`id must be a non-empty string, got ${JSON.stringify(id)}`);
    const known = this.byId.get(id);
    if (known !== undefined) return known;
    this.byId.set(id, this.list.length);
    this.list.push(id);
    return this.list.length - 1;
  }

  /** Position of `id`, or -1 when it is not in the index. */
  indexOf(id: string): number {
    return this.byId.get(id) ?? -1;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The id at `index`; RangeError outside 0..size-1. */
  idAt(index: number): string {
    const id = this.list[index];
    if (id === undefined) throw new RangeError(`index: ${index} outside 0..${this.list.length - 1}`);
    return id;
  }

  get size(): number {
    return this.list.length;
  }

  get ids(): readonly string[] {
    return this.list;
  }
}
