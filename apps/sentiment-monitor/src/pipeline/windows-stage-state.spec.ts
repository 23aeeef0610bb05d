import { TOPICS } from '@tuneline/events';
import { AlertEngine, alertingOptions, alertSnapshotErrorCode, type AlertingOptions } from '@tuneline/sentiment';
import { windowEvent } from '@tuneline/sentiment/testing';
import { PartitionEngines, windowsStateOptions } from './windows-stage-state';

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 6, 9, 0);

function setup(alerting: AlertingOptions = alertingOptions(), assigned: number[] = [0, 1, 2]) {
  const warnings: unknown[][] = [];
  const engines = new PartitionEngines(() => assigned);
  const state = windowsStateOptions({ changelog: TOPICS.sentimentWindowState, alerting, logger: { warn: (...args: unknown[]) => warnings.push(args) } }, engines);
  return { state, engines, warnings, assigned };
}

/** The snapshot text of an engine that has seen a few events. */
function stateText(alerting: AlertingOptions = alertingOptions()): string {
  const engine = new AlertEngine(alerting);
  for (let m = 0; m < 5; m++) engine.process(windowEvent({ itemId: `i${m}`, eventTimeMs: T0 + m * MIN }));
  return JSON.stringify(engine.snapshot());
}

describe('windowsStateOptions', () => {
  it('serialises the engine and restores it as it was', () => {
    const { state } = setup();
    const text = stateText();
    const restored = state.deserialize(text, 1);
    expect(state.serialize(restored)).toBe(text);
    expect(restored.stats()).toMatchObject({ keys: 1, openWindows: 1 });
  });

  it('starts a partition empty, with a warning, when its state was built with another window shape', () => {
    const { state, warnings } = setup(alertingOptions({ windowMs: 30 * MIN }));
    const engine = state.deserialize(stateText(alertingOptions({ windowMs: 15 * MIN })), 2);
    expect(engine.stats()).toMatchObject({ keys: 0, openWindows: 0 });
    expect(warnings).toEqual([[{ partition: 2, err: expect.stringMatching(/^snapshot\.windowMs: /) }, expect.stringContaining('another window shape')]]);
  });

  it('throws, never starting empty, on malformed state (a bad hopMs included) and on a version this build does not read', () => {
    const { state, warnings } = setup();
    const snap = JSON.parse(stateText());
    const codeOf = (text: string): unknown => {
      try {
        state.deserialize(text, 0);
      } catch (err) {
        return alertSnapshotErrorCode(err);
      }
      return 'restored';
    };
    expect(codeOf(JSON.stringify({ ...snap, hopMs: 'x' }))).toBe('SNAPSHOT_INVALID');
    expect(codeOf(JSON.stringify({ ...snap, hopMs: -5 }))).toBe('SNAPSHOT_INVALID');
    expect(codeOf('{"version": 2')).toBe('SNAPSHOT_INVALID');
    expect(codeOf(JSON.stringify({ ...snap, version: 99 }))).toBe('SNAPSHOT_VERSION');
    expect(warnings).toEqual([]);
  });

  it('init gives an empty engine', () => {
    const { state } = setup();
    expect(state.init(0).stats()).toMatchObject({ keys: 0, lateDropped: 0 });
  });
});

describe('PartitionEngines', () => {
  it('holds the engines of assigned partitions only: a revoked partition’s engine is dropped on the next keep or stats read', () => {
    const { state, engines, assigned } = setup();
    state.init(0);
    state.deserialize(stateText(), 1);
    state.init(2);
    expect(engines.partitions()).toEqual([0, 1, 2]);
    expect(engines.totals()).toEqual({ keys: 1, openWindows: 1, lateDropped: 0, evictedKeys: 0 });

    assigned.splice(0, assigned.length, 0, 2); // partition 1 revoked
    expect(engines.totals()).toEqual({ keys: 0, openWindows: 0, lateDropped: 0, evictedKeys: 0 });
    expect(engines.partitions()).toEqual([0, 2]);

    assigned.splice(0, assigned.length, 3); // all moved; 3 is being restored
    state.init(3);
    expect(engines.partitions()).toEqual([3]);
  });

  it('keeps the partition being restored even before the assignment lists it', () => {
    const { state, engines } = setup(alertingOptions(), []);
    state.init(4);
    expect(engines.partitions()).toEqual([4]);
  });
});
