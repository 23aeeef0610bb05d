import { systemClock, type Clock } from '../clock';
import { DEFAULT_SESSION_TTL_MS } from '../config/support-options';
import { SessionConflictError, SupportError } from '../errors';
import type { SessionState } from './session-state';
import type { SessionStore } from './session-store';

/** Live sessions one process keeps before refusing new ones. */
export const DEFAULT_MAX_SESSIONS = 100_000;
/**
 * Characters of session JSON one process keeps before refusing a save: the bound on memory.
 * The count alone was not one: a session at the 50-turn limit with 2,000-character messages is
 * ~160 KB of heap, so 100,000 of them would be ~15 GiB. 256 Mi characters are ~0.5-1 GiB of heap.
 */
export const DEFAULT_MAX_SESSION_CHARS = 256 * 1024 * 1024;
/** How often expired sessions are swept on a timer. */
export const DEFAULT_SWEEP_INTERVAL_MS = 60_000;

export interface InMemorySessionStoreOptions {
  readonly ttlMs?: number;
  readonly clock?: Clock;
  readonly maxSessions?: number;
  /** Sum of the stored sessions' JSON lengths past which a save is refused (RESOURCE_EXHAUSTED). */
  readonly maxChars?: number;
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
  /** JSON length of the state: what the store counts against maxChars. */
  readonly chars: number;
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
  private readonly maxChars: number;
  private chars = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: InMemorySessionStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_SESSION_TTL_MS;
    this.clock = options.clock ?? systemClock;
    this.maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
    this.maxChars = options.maxChars ?? DEFAULT_MAX_SESSION_CHARS;
    const sweepIntervalMs = options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
    if (!Number.isInteger(this.ttlMs) || this.ttlMs < 1) throw new RangeError(`ttlMs: ${this.ttlMs} must be a positive integer`);
    if (!Number.isInteger(this.maxSessions) || this.maxSessions < 1) throw new RangeError(`maxSessions: ${this.maxSessions} must be a positive integer`);
    if (!Number.isInteger(this.maxChars) || this.maxChars < 1) throw new RangeError(`maxChars: ${this.maxChars} must be a positive integer`);
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
      this.remove(sessionId);
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
    const chars = JSON.stringify(stored).length;
    const grows = chars - (current?.chars ?? 0);
    if (grows > 0 && this.chars + grows > this.maxChars && (this.sweep(), this.chars + grows > this.maxChars)) {
      throw new SupportError(`session store is full (${this.maxChars} characters of sessions)`, 'RESOURCE_EXHAUSTED');
    }
    // From what is held now: the sweep above may have dropped this very session (it expired meanwhile).
    this.chars += chars - (this.entries.get(state.id)?.chars ?? 0);
    this.entries.set(state.id, { state: stored, expiresAt: this.clock() + this.ttlMs, chars });
    return structuredClone(stored);
  }

  async delete(sessionId: string): Promise<boolean> {
    const existed = this.live(sessionId) !== undefined;
    this.remove(sessionId);
    return existed;
  }

  /** Drops expired sessions; returns how many. Runs on the store's own timer (sweepIntervalMs). */
  sweep(): number {
    const now = this.clock();
    let dropped = 0;
    for (const [id, e] of this.entries) {
      if (e.expiresAt <= now) {
        this.remove(id);
        dropped++;
      }
    }
    return dropped;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Characters of session JSON held now (what maxChars bounds). */
  get heldChars(): number {
    return this.chars;
  }

  private remove(sessionId: string): void {
    const e = this.entries.get(sessionId);
    if (!e) return;
    this.chars -= e.chars;
    this.entries.delete(sessionId);
  }
}
