import type { SentimentAlert, WindowEvent } from '../types';
import { alertIdOf } from './alert-id';
import { EMPTY_EWMA } from './ewma';
import { withHeadline } from './headlines';
import { foldClosedWindows, windowAt, type KeyState, type WindowAgg } from './key-state';
import { validateAlertingOptions, type AlertingOptions } from './options';
import { RULES, ruleFires, ruleZ, scoreWindow, severityOf, surgeRatio, type WindowScore } from './rules';
import {
  ALERT_ENGINE_SNAPSHOT_VERSION,
  validateAlertEngineSnapshot,
  type AlertEngineSnapshot,
  type KeySnapshot,
} from './snapshot';
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
  /** The partition's newest event time − allowedLatenessMs; −Infinity before the first event. */
  readonly watermarkMs: number;
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
 * Keys are independent: each has its own watermark (its newest event time − allowedLatenessMs),
 * windows, baselines and cooldown, so how keys are spread over partitions does not change
 * their alerts. Only eviction (maxKeys, idleKeyTtlMs against the partition's newest event
 * time) looks across keys. README.md "Alerting" has the rules.
 */
export class AlertEngine {
  private readonly options: AlertingOptions;
  /** Map order = least recently updated first (re-inserted on every update). */
  private readonly keys = new Map<string, KeyState>();
  private clockMs: number | null = null;
  private openWindows = 0;
  private lateDropped = 0;
  private evictedKeys = 0;
  private alertsRaised = 0;

  constructor(options: AlertingOptions, snapshot?: AlertEngineSnapshot) {
    this.options = validateAlertingOptions({ ...options });
    if (snapshot !== undefined) this.restore(validateAlertEngineSnapshot(snapshot));
  }

  /** Adds one event; returns the alerts its arrival fired (oldest window first), usually none. */
  process(event: WindowEvent): SentimentAlert[] {
    validateWindowEvent(event);
    const o = this.options;
    const t = event.eventTimeMs;
    this.clockMs = this.clockMs === null ? t : Math.max(this.clockMs, t);
    this.evictIdle();
    const s = this.touch(event);

    s.maxEventMs = Math.max(s.maxEventMs, t);
    const watermark = s.maxEventMs - o.allowedLatenessMs;
    this.openWindows -= foldClosedWindows(s, watermark, o);

    const starts = windowStartsContaining(t, o).filter((start) => windowEnd(start, o) > watermark);
    if (starts.length === 0) {
      this.lateDropped++;
      return [];
    }
    // Only before the first fold can an open window start before nextFoldStart (an
    // out-of-order event older than the key's first one): fold from there instead.
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
      watermarkMs: this.clockMs === null ? Number.NEGATIVE_INFINITY : this.clockMs - this.options.allowedLatenessMs,
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
        share: { ...s.share },
        volume: { ...s.volume },
        windows: s.windows.map((w) => ({
          start: w.start,
          total: w.total,
          negative: w.negative,
          headlines: w.headlines.map((h) => ({ ...h })),
          alerted: [...w.alerted],
        })),
      });
    }
    return {
      version: ALERT_ENGINE_SNAPSHOT_VERSION,
      windowMs: this.options.windowMs,
      hopMs: this.options.hopMs,
      clockMs: this.clockMs,
      lateDropped: this.lateDropped,
      evictedKeys: this.evictedKeys,
      alertsRaised: this.alertsRaised,
      keys,
    };
  }

  private evaluate(s: KeyState, w: WindowAgg, event: WindowEvent, out: SentimentAlert[]): void {
    const o = this.options;
    // Early firing: judged on every update once the window has enough items.
    if (w.total < o.minVolume || w.negative < o.minNegative) return;
    let score: WindowScore | undefined;
    for (const rule of RULES) {
      if (w.alerted.includes(rule)) continue;
      if (s.cooldownUntilMs !== null && s.maxEventMs < s.cooldownUntilMs) return;
      score ??= scoreWindow(w.total, w.negative, s.share, s.volume, o);
      if (!ruleFires(rule, score, o.zThreshold)) continue;
      w.alerted.push(rule);
      s.cooldownUntilMs = s.maxEventMs + o.cooldownMs;
      this.alertsRaised++;
      out.push({
        alertId: alertIdOf(s.key, w.start, o.windowMs, rule),
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

  /** The event's key state, created when new, moved to the most-recently-updated end. */
  private touch(event: WindowEvent): KeyState {
    const clock = this.clockMs as number;
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
        nextFoldStart: windowStartsContaining(event.eventTimeMs, this.options)[0],
        cooldownUntilMs: null,
        share: EMPTY_EWMA,
        volume: EMPTY_EWMA,
        windows: [],
      };
    }
    s.touchedAtMs = clock;
    this.keys.set(event.key, s);
    while (this.keys.size > this.options.maxKeys) this.evictOldest();
    return s;
  }

  /**
   * Drops every key not updated for idleKeyTtlMs of the partition's event time, the
   * event's own key included (it then starts afresh). Map order is touch order and
   * touchedAtMs never decreases along it, so this stops at the first fresh key: O(evicted).
   */
  private evictIdle(): void {
    const horizon = (this.clockMs as number) - this.options.idleKeyTtlMs;
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

  private restore(snap: AlertEngineSnapshot): void {
    const o = this.options;
    if (snap.windowMs !== o.windowMs || snap.hopMs !== o.hopMs) {
      throw new RangeError(
        `snapshot.windowMs: state built with windowMs=${snap.windowMs} hopMs=${snap.hopMs}, options say windowMs=${o.windowMs} hopMs=${o.hopMs}; start from an empty engine to change the windows`,
      );
    }
    this.clockMs = snap.clockMs;
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
        share: { ...k.share },
        volume: { ...k.volume },
        windows: k.windows.map((w) => ({
          start: w.start,
          total: w.total,
          negative: w.negative,
          headlines: w.headlines.map((h) => ({ ...h })),
          alerted: [...w.alerted],
        })),
      });
      this.openWindows += k.windows.length;
    }
    // A smaller maxKeys than the snapshot's owner had: drop the least recently updated.
    while (this.keys.size > o.maxKeys) this.evictOldest();
  }
}
