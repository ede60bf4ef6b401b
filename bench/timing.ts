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
  /** Records in the pages an iterable gave (a connector's reads). */
  records: number;
}

/** The calls timed over one stretch (a run). */
export class Tallies {
  constructor(private readonly byName: ReadonlyMap<string, Tally>) {}

  /** Records the pages of `name` held (`left.read`: records read from the left). */
  records(name: string): number {
    return this.byName.get(name)?.records ?? 0;
  }

  /**
   * One line: each call's share of `runMs`, and the rest: the engine's own work, less whatever
   * ran while a timed call was in flight (a page read ahead overlaps the page's other calls).
   */
  summary(runMs: number): string {
    const taken = [...this.byName.entries()]
      .map(([name, tally]) => ({ name, ...tally }))
      .sort((a, b) => b.ms - a.ms);
    const awaited = taken.reduce((sum, tally) => sum + tally.ms, 0);
    const share = (ms: number): string => `${((ms / runMs) * 100).toFixed(0)}%`;
    const parts = taken
      .filter((tally) => tally.ms >= runMs * 0.01)
      .map((tally) => `${tally.name} ${share(tally.ms)} (${String(tally.calls)})`);
    return `  time: ${parts.join(', ')}; the rest (engine's own work) ${share(Math.max(0, runMs - awaited))}`;
  }
}

export class CallTimes {
  private tallies = new Map<string, Tally>();

  add(name: string, ms: number, records = 0): void {
    const tally = this.tallies.get(name) ?? { calls: 0, ms: 0, records: 0 };
    tally.calls++;
    tally.ms += ms;
    tally.records += records;
    this.tallies.set(name, tally);
  }

  /** The tallies since the last take; the next stretch starts from nothing. */
  take(): Tallies {
    const taken = new Tallies(this.tallies);
    this.tallies = new Map();
    return taken;
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
          const result = await iterator.next();
          const page: unknown = result.value;
          const records =
            typeof page === 'object' &&
            page !== null &&
            'records' in page &&
            Array.isArray(page.records)
              ? page.records.length
              : 0;
          times.add(name, performance.now() - started, records);
          return result;
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
