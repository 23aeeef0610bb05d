import type { SentimentAlert, WindowEvent } from '../types';
import { alertIdOf } from './alert-id';
import { withHeadline } from './headlines';
import { emptyBaselines, foldClosedWindows, phaseOf, windowAt, type KeyState, type WindowAgg } from './key-state';
import { validateAlertingOptions, type AlertingOptions } from './options';
import { RULES, ruleFires, ruleZ, scoreWindow, severityOf, surgeRatio } from './rules';
import {
  ALERT_ENGINE_SNAPSHOT_VERSION,
  validateAlertEngineSnapshot,
  type AlertEngineSnapshot,
  type KeySnapshot,
} from './snapshot';
import { AlertSnapshotShapeError } from './snapshot-errors';
import { SourceClocks } from './source-clocks';
import { validateWindowEvent } from './window-event';
import { parseWindowKey } from './window-key';
import { windowEnd, windowStartsContaining } from './windows';

export interface AlertEngineStats {
  /** Window keys held. */
  readonly keys: number;
  /** Windows with data not yet folded into their key's baselines. */
  readonly openWindows: number;
  /** Events that arrived after all their windows had closed (counted, not windowed). */
  readonly lateDropped: number;
  /** Windows ending at or before this are closed (SourceClocks); −Infinity until one closed. */
  readonly watermarkMs: number;
  /** Sources (news.raw partitions) whose progress the engine tracks. */
  readonly sources: number;
  /** Keys dropped for idleness (idleKeyTtlMs) or to stay within maxKeys. */
  readonly evictedKeys: number;
  readonly alertsRaised: number;
}

/**
 * Event-time windowed negative-sentiment alerting for the keys of one input partition.
 * Single-threaded and synchronous; no clock but the events' own times, so the same events
 * in the same order always give the same alerts, and snapshot() → restore → the rest of the
 * events gives what an uninterrupted run gives.
 *
 * Events come from several sources (news.raw partitions), each in order but interleaved at
 * their own paces. Windows close on the partition watermark, the slowest active source's
 * newest time − allowedLatenessMs (SourceClocks), so an item is late only when it is more
 * than allowedLatenessMs behind its own source (or its source went idle): a backlog replayed
 * in any interleaving windows the same items, and a clear surge raises the same alert id.
 * Each key has its own windows, baselines and cooldown; sliding windows are windowMs / hopMs
 * tumbling grids offset by hopMs, each with its own baselines (key-state.ts phaseOf) and one
 * cooldown per key. README.md "Alerting" has the rules.
 */
export class AlertEngine {
  private readonly options: AlertingOptions;
  /** Map order = least recently updated first (re-inserted on every update). */
  private readonly keys = new Map<string, KeyState>();
  private readonly clocks: SourceClocks;
  private openWindows = 0;
  private lateDropped = 0;
  private evictedKeys = 0;
  private alertsRaised = 0;

  constructor(options: AlertingOptions, snapshot?: AlertEngineSnapshot) {
    this.options = validateAlertingOptions({ ...options });
    const snap = snapshot === undefined ? undefined : validateAlertEngineSnapshot(snapshot);
    if (snap !== undefined && (snap.windowMs !== this.options.windowMs || snap.hopMs !== this.options.hopMs)) {
      const o = this.options;
      throw new AlertSnapshotShapeError(
        `snapshot.windowMs: state built with windowMs=${snap.windowMs} hopMs=${snap.hopMs}, options say windowMs=${o.windowMs} hopMs=${o.hopMs}; start from an empty engine to change the windows`,
      );
    }
    this.clocks = new SourceClocks(this.options, snap);
    if (snap !== undefined) this.restore(snap);
  }

  /** Adds one event; returns the alerts its arrival fired (oldest window first), usually none. */
  process(event: WindowEvent): SentimentAlert[] {
    validateWindowEvent(event);
    const o = this.options;
    const t = event.eventTimeMs;
    this.clocks.observe(event.source, t);
    this.evictIdle();
    const watermark = this.clocks.watermarkMs;
    const starts = windowStartsContaining(t, o).filter((start) => windowEnd(start, o) > watermark);
    if (starts.length === 0) {
      this.lateDropped++;
      return [];
    }
    const s = this.touch(event, starts[0]);
    if (t > s.maxEventMs) s.maxEventMs = t;
    this.openWindows -= foldClosedWindows(s, watermark, o);
    // Only before the key's first fold can an open window start before nextFoldStart (an
    // item older than the key's first one): fold from there instead.
    if (starts[0] < s.nextFoldStart) s.nextFoldStart = starts[0];

    const negative = event.sentiment === 'negative';
    const alerts: SentimentAlert[] = [];
    for (const start of starts) {
      const { window: w, created } = windowAt(s, start);
      if (created) this.openWindows++;
      w.total++;
      if (negative) {
        w.negative++;
        w.headlines = withHeadline(w.headlines, { id: event.itemId, title: event.title, negativeProb: event.negativeProb }, o.topHeadlines);
      }
      this.evaluate(s, w, event, alerts);
    }
    return alerts;
  }

  stats(): AlertEngineStats {
    return {
      keys: this.keys.size,
      openWindows: this.openWindows,
      lateDropped: this.lateDropped,
      watermarkMs: this.clocks.watermarkMs,
      sources: this.clocks.size,
      evictedKeys: this.evictedKeys,
      alertsRaised: this.alertsRaised,
    };
  }

  /** The whole state as a fresh JSON-safe object (does not change the engine). */
  snapshot(): AlertEngineSnapshot {
    const keys: KeySnapshot[] = [];
    for (const s of this.keys.values()) {
      keys.push({
        key: s.key,
        maxEventMs: s.maxEventMs,
        touchedAtMs: s.touchedAtMs,
        nextFoldStart: s.nextFoldStart,
        cooldownUntilMs: s.cooldownUntilMs,
        baselines: s.baselines.map((b) => ({ share: { ...b.share }, volume: { ...b.volume } })),
        windows: s.windows.map((w) => ({
          start: w.start,
          total: w.total,
          negative: w.negative,
          headlines: w.headlines.map((h) => ({ ...h })),
          alerted: w.alerted,
        })),
      });
    }
    return {
      version: ALERT_ENGINE_SNAPSHOT_VERSION,
      windowMs: this.options.windowMs,
      hopMs: this.options.hopMs,
      ...this.clocks.state(),
      lateDropped: this.lateDropped,
      evictedKeys: this.evictedKeys,
      alertsRaised: this.alertsRaised,
      keys,
    };
  }

  private evaluate(s: KeyState, w: WindowAgg, event: WindowEvent, out: SentimentAlert[]): void {
    const o = this.options;
    // Early firing: judged on every update once the window has enough items; at most one
    // alert per window, by the first rule that fires.
    if (w.alerted !== null || w.total < o.minVolume || w.negative < o.minNegative) return;
    if (s.cooldownUntilMs !== null && s.maxEventMs < s.cooldownUntilMs) return;
    const b = s.baselines[phaseOf(w.start, o)];
    const score = scoreWindow(w.total, w.negative, b.share, b.volume, o);
    const rule = RULES.find((r) => ruleFires(r, score, o.zThreshold));
    if (rule !== undefined) {
      w.alerted = rule;
      s.cooldownUntilMs = s.maxEventMs + o.cooldownMs;
      this.alertsRaised++;
      out.push({
        alertId: alertIdOf(s.key, w.start, o.windowMs),
        kind: s.kind,
        name: s.name,
        key: s.key,
        windowStart: new Date(w.start).toISOString(),
        windowEnd: new Date(windowEnd(w.start, o)).toISOString(),
        totalCount: score.totalCount,
        negativeCount: score.negativeCount,
        negativeShare: score.negativeShare,
        baselineNegativeShare: score.baselineNegativeShare,
        baselineStd: score.baselineStd,
        zScore: score.zScore,
        volumeZScore: score.volumeZScore,
        surgeRatio: surgeRatio(rule, score),
        rule,
        severity: severityOf(ruleZ(rule, score), o.criticalZ),
        topHeadlines: w.headlines.map((h) => ({ ...h })),
        modelVersion: event.modelVersion,
        triggerItemId: event.itemId,
        eventTime: new Date(event.eventTimeMs).toISOString(),
      });
    }
  }

  /**
   * The event's key state, created when new (its first window: `firstStart`, the oldest
   * open window holding the event), moved to the most-recently-updated end.
   */
  private touch(event: WindowEvent, firstStart: number): KeyState {
    const clock = this.clocks.clockMs;
    let s = this.keys.get(event.key);
    if (s !== undefined) {
      this.keys.delete(event.key);
    } else {
      s = {
        key: event.key,
        kind: event.kind,
        name: event.name,
        maxEventMs: event.eventTimeMs,
        touchedAtMs: clock,
        nextFoldStart: firstStart,
        cooldownUntilMs: null,
        baselines: emptyBaselines(this.options),
        windows: [],
      };
    }
    s.touchedAtMs = clock;
    this.keys.set(event.key, s);
    while (this.keys.size > this.options.maxKeys) this.evictOldest();
    return s;
  }

  /**
   * Drops every key not updated for idleKeyTtlMs of the partition clock (SourceClocks: not
   * moved by one item far in the future once three sources are known). Map order is touch
   * order and touchedAtMs never decreases along it, so this stops at the first fresh key:
   * O(evicted).
   */
  private evictIdle(): void {
    const horizon = this.clocks.clockMs - this.options.idleKeyTtlMs;
    for (const s of this.keys.values()) {
      if (s.touchedAtMs >= horizon) break;
      this.drop(s);
    }
  }

  private evictOldest(): void {
    const first = this.keys.values().next();
    if (!first.done) this.drop(first.value);
  }

  private drop(s: KeyState): void {
    this.keys.delete(s.key);
    this.openWindows -= s.windows.length;
    this.evictedKeys++;
  }

  /** Loads a validated snapshot of this window shape (the constructor checked both). */
  private restore(snap: AlertEngineSnapshot): void {
    this.lateDropped = snap.lateDropped;
    this.evictedKeys = snap.evictedKeys;
    this.alertsRaised = snap.alertsRaised;
    for (const k of snap.keys) {
      const { kind, name } = parseWindowKey(k.key);
      this.keys.set(k.key, {
        key: k.key,
        kind,
        name,
        maxEventMs: k.maxEventMs,
        touchedAtMs: k.touchedAtMs,
        nextFoldStart: k.nextFoldStart,
        cooldownUntilMs: k.cooldownUntilMs,
        baselines: k.baselines.map((b) => ({ share: { ...b.share }, volume: { ...b.volume } })),
        windows: k.windows.map((w) => ({
          start: w.start,
          total: w.total,
          negative: w.negative,
          headlines: w.headlines.map((h) => ({ ...h })),
          alerted: w.alerted,
        })),
      });
      this.openWindows += k.windows.length;
    }
    // A smaller maxKeys than the snapshot's owner had: drop the least recently updated.
    while (this.keys.size > this.options.maxKeys) this.evictOldest();
  }
}
