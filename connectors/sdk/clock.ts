/**
 * Clocks: the system one, and a fake one tests drive so that a 30 s Retry-After takes no real time.
 */
import type { Clock } from './contract';

/** The signal's reason as an Error (AbortSignal.abort() gives a DOMException, which is one). */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('aborted', { cause: reason });
}

/** Real time. `sleep` rejects with the signal's reason when aborted. */
export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(abortReason(signal));
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        if (signal !== undefined) reject(abortReason(signal));
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

interface Sleeper {
  wakeAt: number;
  order: number;
  resolve: () => void;
}

export interface FakeClockOptions {
  /** Start time; defaults to 2024-01-01T00:00:00.000Z so tests are deterministic. */
  start?: Date | string | number;
  /** When true, `sleep(ms)` moves time forward by `ms` at once instead of waiting for `advance`. */
  autoAdvance?: boolean;
}

/** Lets a pending promise chain reach its next `sleep` before time moves on. */
function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A clock that only moves when told to (`advance`, `set`), or, in auto-advance mode, whenever
 * someone sleeps. Every sleep is recorded in `sleeps` so tests can assert waits.
 */
export class FakeClock implements Clock {
  private current: number;
  private readonly sleepers: Sleeper[] = [];
  private sequence = 0;
  readonly autoAdvance: boolean;
  /** Durations passed to `sleep`, in call order. */
  readonly sleeps: number[] = [];

  constructor(options: FakeClockOptions = {}) {
    this.current = new Date(options.start ?? '2024-01-01T00:00:00.000Z').getTime();
    this.autoAdvance = options.autoAdvance ?? false;
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Total of all sleeps requested so far. */
  get sleptMs(): number {
    return this.sleeps.reduce((sum, ms) => sum + ms, 0);
  }

  /** Sleeps not yet woken (manual mode). */
  get pendingSleeps(): number {
    return this.sleepers.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    const duration = Math.max(0, ms);
    this.sleeps.push(duration);
    if (signal?.aborted === true) return Promise.reject(abortReason(signal));
    if (this.autoAdvance) {
      this.current += duration;
      this.wakeDue();
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const sleeper: Sleeper = { wakeAt: this.current + duration, order: this.sequence++, resolve };
      const onAbort = (): void => {
        this.removeSleeper(sleeper);
        if (signal !== undefined) reject(abortReason(signal));
      };
      sleeper.resolve = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
    });
  }

  /**
   * Moves time forward by `ms`, waking sleepers in deadline order; pending work gets a turn after
   * each wake so that a sleep it starts within the window is honoured too.
   */
  async advance(ms: number): Promise<void> {
    const target = this.current + Math.max(0, ms);
    await flushMicrotasks();
    for (;;) {
      const next = this.earliestSleeper();
      if (next === undefined || next.wakeAt > target) break;
      this.current = Math.max(this.current, next.wakeAt);
      this.removeSleeper(next);
      next.resolve();
      await flushMicrotasks();
    }
    this.current = target;
  }

  /** Jumps to an absolute time (forward or backward) without waking anyone past it. */
  set(time: Date | string | number): void {
    this.current = new Date(time).getTime();
    this.wakeDue();
  }

  private wakeDue(): void {
    for (;;) {
      const next = this.earliestSleeper();
      if (next === undefined || next.wakeAt > this.current) return;
      this.removeSleeper(next);
      next.resolve();
    }
  }

  private earliestSleeper(): Sleeper | undefined {
    let best: Sleeper | undefined;
    for (const sleeper of this.sleepers) {
      if (
        best === undefined ||
        sleeper.wakeAt < best.wakeAt ||
        (sleeper.wakeAt === best.wakeAt && sleeper.order < best.order)
      ) {
        best = sleeper;
      }
    }
    return best;
  }

  private removeSleeper(sleeper: Sleeper): void {
    const index = this.sleepers.indexOf(sleeper);
    if (index >= 0) this.sleepers.splice(index, 1);
  }
}
