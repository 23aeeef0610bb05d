/** A bad dataset row. Always names the file and line so the user can fix it. */
export class DatasetError extends Error {
  readonly code = 'INVALID_ARGUMENT';
  readonly retriable = false;
  constructor(readonly file: string, readonly line: number, readonly reason: string) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'DatasetError';
  }
}
