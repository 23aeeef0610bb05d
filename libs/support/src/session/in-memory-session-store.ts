import { systemClock, type Clock } from '../clock';
import { DEFAULT_SESSION_TTL_MS } from '../config/support-options';
import { SessionConflictError, SupportError } from '../errors';
import type { SessionState } from './session-state';
import type { SessionStore } from './session-store';

/** Live sessions one process keeps before refusing new ones (bounds memory). */
export const DEFAULT_MAX_SESSIONS = 100_000;
/** How often expired sessions are swept on a timer. */
export const DEFAULT_SWEEP_INTERVAL_MS = 60_000;

export interface InMemorySessionStoreOptions {
  readonly ttlMs?: number;
  readonly clock?: Clock;
  readonly maxSessions?: number;
  /**
   * Sweeps expired sessions this often (ms) on an unref'd timer, so memory is returned and a
   * full store rarely has to sweep inside a save; 0 = never (expired sessions are still
   * dropped when read, and by a save that finds the store full). Stop it with `close()`.
   */
  readonly sweepIntervalMs?: number;
}

interface Entry {
  readonly state: SessionState;
  readonly expiresAt: number;
}

/**
 * Single-process SessionStore with sliding TTL; expired entries are dropped when read and
 * by `sweep`, which runs every `sweepIntervalMs` on an unref'd timer until `close()`.
 */
export class InMemorySessionStore implements SessionStore {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly clock: Clock;
  private readonly maxSessions: number;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: InMemorySessionStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_SESSION_TTL_MS;
    this.clock = options.clock ?? systemClock;
    this.maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
    const sweepIntervalMs = options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
    if (!Number.isInteger(this.ttlMs) || this.ttlMs < 1) throw new RangeError(`ttlMs: ${this.ttlMs} must be a positive integer`);
    if (!Number.isInteger(this.maxSessions) || this.maxSessions < 1) throw new RangeError(`maxSessions: ${this.maxSessions} must be a positive integer`);
    if (!Number.isInteger(sweepIntervalMs) || sweepIntervalMs < 0) throw new RangeError(`sweepIntervalMs: ${sweepIntervalMs} must be a non-negative integer`);
    if (sweepIntervalMs > 0) {
      this.timer = setInterval(() => this.sweep(), sweepIntervalMs);
      // Never what keeps a process (or a test run) alive.
      this.timer.unref?.();
    }
  }

  /** Stops the scheduled sweep; the sessions stay readable. Idempotent. */
  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private live(sessionId: string): Entry | undefined {
    const e = this.entries.get(sessionId);
    if (e && e.expiresAt <= this.clock()) {
      this.entries.delete(sessionId);
      return undefined;
    }
    return e;
  }

  async get(sessionId: string): Promise<SessionState | undefined> {
    const e = this.live(sessionId);
    return e ? structuredClone(e.state) : undefined;
  }

  async save(state: SessionState, expectedRevision: number): Promise<SessionState> {
    const current = this.live(state.id);
    if ((current?.state.revision ?? 0) !== expectedRevision) throw new SessionConflictError(state.id);
    if (!current && this.entries.size >= this.maxSessions && (this.sweep(), this.entries.size >= this.maxSessions)) {
      throw new SupportError(`session store is full (${this.maxSessions} live sessions)`, 'RESOURCE_EXHAUSTED');
    }
    const stored: SessionState = structuredClone({ ...state, revision: expectedRevision + 1 });
    this.entries.set(state.id, { state: stored, expiresAt: this.clock() + this.ttlMs });
    return structuredClone(stored);
  }

  async delete(sessionId: string): Promise<boolean> {
    const existed = this.live(sessionId) !== undefined;
    this.entries.delete(sessionId);
    return existed;
  }

  /** Drops expired sessions; returns how many. Runs on the store's own timer (sweepIntervalMs). */
  sweep(): number {
    const now = this.clock();
    let dropped = 0;
    for (const [id, e] of this.entries) {
      if (e.expiresAt <= now) {
        this.entries.delete(id);
        dropped++;
      }
    }
    return dropped;
  }

  get size(): number {
    return this.entries.size;
  }
}
