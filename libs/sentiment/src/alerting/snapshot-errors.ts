/**
 * Why a snapshot cannot be restored, as a stable `code` a caller can branch on (the
 * windows stage starts a partition empty on SNAPSHOT_WINDOW_SHAPE only). The classes keep
 * the RangeError / TypeError split of the rest of the lib: version and window shape are
 * "valid but not for these options", anything else is a malformed value.
 */
export type AlertSnapshotErrorCode = 'SNAPSHOT_VERSION' | 'SNAPSHOT_WINDOW_SHAPE' | 'SNAPSHOT_INVALID';

/** A version this build does not read. Message: `snapshot.version: ...`. */
export class AlertSnapshotVersionError extends RangeError {
  readonly code = 'SNAPSHOT_VERSION' as const;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Built with another windowMs/hopMs than the options: its counts cannot carry over. Message: `snapshot.windowMs: ...`. */
export class AlertSnapshotShapeError extends RangeError {
  readonly code = 'SNAPSHOT_WINDOW_SHAPE' as const;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Not a snapshot (not JSON, wrong types, inconsistent). Message: `snapshot<.path>: ...`. */
export class AlertSnapshotInvalidError extends TypeError {
  readonly code = 'SNAPSHOT_INVALID' as const;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The code of an error restore threw, or undefined for any other error. */
export function alertSnapshotErrorCode(err: unknown): AlertSnapshotErrorCode | undefined {
  if (err instanceof AlertSnapshotVersionError || err instanceof AlertSnapshotShapeError || err instanceof AlertSnapshotInvalidError) {
    return err.code;
  }
  return undefined;
}
