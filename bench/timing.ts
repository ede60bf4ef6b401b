/**
 * Where a run's time goes: the store's and the vendors' calls timed as the engine awaits them, so
 * the bench can print how much of a run was Postgres, how much the vendors, and how much the
 * engine's own work (the rest). Times are wall time awaited; calls that overlap each other are
 * counted each in full, so the shares can add up to more than the run when the engine overlaps
 * them.
 */
import { performance } from 'node:perf_hooks';

interface Tally {
  calls: number;
  ms: number;
}

export class CallTimes {
  private readonly tallies = new Map<string, Tally>();

  add(name: string, ms: number): void {
    const tally = this.tallies.get(name) ?? { calls: 0, ms: 0 };
    tally.calls++;
    tally.ms += ms;
    this.tallies.set(name, tally);
  }

  /** The tallies since the last take, largest first, and forgets them. */
  take(): Array<{ name: string } & Tally> {
    const taken = [...this.tallies.entries()]
      .map(([name, tally]) => ({ name, ...tally }))
      .sort((a, b) => b.ms - a.ms);
    this.tallies.clear();
    return taken;
  }

  /** One line: each call's share of `runMs`, and what is left for the engine itself. */
  summary(runMs: number): string {
    const taken = this.take();
    const awaited = taken.reduce((sum, tally) => sum + tally.ms, 0);
    const share = (ms: number): string => `${((ms / runMs) * 100).toFixed(0)}%`;
    const parts = taken
      .filter((tally) => tally.ms >= runMs * 0.01)
      .map((tally) => `${tally.name} ${share(tally.ms)} (${tally.calls})`);
    return `  time: ${parts.join(', ')}; engine's own work ${share(Math.max(0, runMs - awaited))}`;
  }
}

function isPromise(value: unknown): value is Promise<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Promise<unknown>).then === 'function'
  );
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

function timedIterable(
  iterable: AsyncIterable<unknown>,
  name: string,
  times: CallTimes,
): AsyncIterable<unknown> {
  return {
    [Symbol.asyncIterator]() {
      const iterator = iterable[Symbol.asyncIterator]();
      return {
        async next() {
          const started = performance.now();
          try {
            return await iterator.next();
          } finally {
            times.add(name, performance.now() - started);
          }
        },
        async return(value?: unknown) {
          return (await iterator.return?.(value)) ?? { done: true, value };
        },
      };
    },
  };
}

/**
 * `target` with each method call timed under `prefix.method`: promises until they settle, async
 * iterables (a connector's pages) per page awaited.
 */
export function timed<T extends object>(target: T, prefix: string, times: CallTimes): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      const name = `${prefix}.${property}`;
      return (...args: unknown[]) => {
        const started = performance.now();
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(object, args);
        if (isPromise(result))
          return result.finally(() => {
            times.add(name, performance.now() - started);
          });
        if (isAsyncIterable(result)) return timedIterable(result, name, times);
        return result;
      };
    },
  });
}
