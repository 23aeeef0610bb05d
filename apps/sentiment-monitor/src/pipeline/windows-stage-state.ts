/**
 * The windows stage's per-partition state: an AlertEngine per input partition, its
 * changelog (de)serialisation, and the engines this member holds for metrics.
 */
import type { EventsLogger, StageChangelogTopic, StageStateOptions } from '@tuneline/events';
import { AlertEngine, alertSnapshotErrorCode, parseAlertEngineSnapshot, type AlertingOptions } from '@tuneline/sentiment';

export interface EngineTotals {
  keys: number;
  openWindows: number;
  lateDropped: number;
  evictedKeys: number;
}

/**
 * The engine of each input partition this member owns. Engines of partitions the stage no
 * longer has are dropped whenever an engine is kept or stats are read (a revoked partition's
 * state lives on in the changelog, not here).
 */
export class PartitionEngines {
  private readonly engines = new Map<number, AlertEngine>();

  /** `assigned`: the stage's partitions now (TransactionalStage.assignedPartitions). */
  constructor(private readonly assigned: () => readonly number[]) {}

  keep(partition: number, engine: AlertEngine): AlertEngine {
    this.engines.set(partition, engine);
    this.prune(partition);
    return engine;
  }

  /** Partitions an engine is held for, ascending. */
  partitions(): number[] {
    return [...this.engines.keys()].sort((a, b) => a - b);
  }

  /** Summed stats of the owned partitions' engines. */
  totals(): EngineTotals {
    this.prune();
    const total: EngineTotals = { keys: 0, openWindows: 0, lateDropped: 0, evictedKeys: 0 };
    for (const engine of this.engines.values()) {
      const s = engine.stats();
      total.keys += s.keys;
      total.openWindows += s.openWindows;
      total.lateDropped += s.lateDropped;
      total.evictedKeys += s.evictedKeys;
    }
    return total;
  }

  private prune(keep?: number): void {
    const owned = new Set(this.assigned());
    for (const partition of this.engines.keys()) {
      if (partition !== keep && !owned.has(partition)) this.engines.delete(partition);
    }
  }
}

export interface WindowsStateOptions {
  readonly changelog: StageChangelogTopic;
  readonly alerting: AlertingOptions;
  readonly logger: Pick<EventsLogger, 'warn'>;
}

/**
 * StageStateOptions for the windows stage. A snapshot built with another window shape
 * (SENTIMENT_WINDOW_MS / SENTIMENT_HOP_MS changed; error code SNAPSHOT_WINDOW_SHAPE) cannot
 * be carried over: the partition starts empty, with a warning, and the next commit replaces
 * the snapshot. Anything else that fails to restore (malformed state, a version this build
 * does not read) throws: the stage must not silently drop state it cannot read.
 */
export function windowsStateOptions(o: WindowsStateOptions, engines: PartitionEngines): StageStateOptions<AlertEngine> {
  return {
    changelog: o.changelog,
    init: (partition) => engines.keep(partition, new AlertEngine(o.alerting)),
    serialize: (engine) => JSON.stringify(engine.snapshot()),
    deserialize: (text, partition) => {
      const snapshot = parseAlertEngineSnapshot(text);
      try {
        return engines.keep(partition, new AlertEngine(o.alerting, snapshot));
      } catch (err) {
        if (alertSnapshotErrorCode(err) !== 'SNAPSHOT_WINDOW_SHAPE') throw err;
        o.logger.warn({ partition, err: (err as Error).message }, 'window state of another window shape; starting this partition with empty windows and baselines');
        return engines.keep(partition, new AlertEngine(o.alerting));
      }
    },
  };
}
