/**
 * The bench's clock: a simulated date that moves with real time, so that what a run writes is
 * stamped as it goes (as a vendor stamps it), and that jumps forward between runs (`advance`) as
 * a schedule's intervals pass. A clock standing still within a run (the tests' FakeClock) would
 * stamp a whole run's writes with one instant, which every later read's overlap would cover.
 * Sleeps (retry waits; rate limits are off) pass at once, as the simulated time jumps by them.
 */
import { performance } from 'node:perf_hooks';
import type { Clock } from '../connectors/sdk/contract';

export class BenchClock implements Clock {
  private offset: number;
  private readonly origin = performance.now();

  constructor(start: string) {
    this.offset = Date.parse(start);
  }

  now(): Date {
    return new Date(this.offset + Math.floor(performance.now() - this.origin));
  }

  sleep(ms: number): Promise<void> {
    this.offset += Math.max(0, ms);
    return Promise.resolve();
  }

  advance(ms: number): Promise<void> {
    this.offset += ms;
    return Promise.resolve();
  }
}
