import { FakeClock } from './clock';
import { RateLimiter } from './rate-limiter';

const burst = {
  name: 'burst',
  limit: 10,
  windowMs: 10_000,
  source: 'https://vendor.example.com/docs/limits',
};

describe('RateLimiter', () => {
  it('lets a full bucket through, then spaces calls by the refill rate on its clock', async () => {
    const clock = new FakeClock({ autoAdvance: true });
    const limiter = new RateLimiter({ clock, limits: [burst] });
    const started = clock.now().getTime();
    const stamps: number[] = [];
    for (let i = 0; i < 13; i++)
      await limiter.schedule(() => Promise.resolve(stamps.push(clock.now().getTime() - started)));
    expect(stamps.slice(0, 10)).toEqual(Array.from({ length: 10 }, () => 0));
    expect(stamps.slice(10)).toEqual([1_000, 2_000, 3_000]);
  });

  it('counts a rolling window: never more than its limit in any window, even after a burst', async () => {
    const clock = new FakeClock({ autoAdvance: true });
    const limiter = new RateLimiter({ clock, limits: [{ ...burst, counting: 'rolling' }] });
    const started = clock.now().getTime();
    const stamps: number[] = [];
    for (let i = 0; i < 25; i++)
      await limiter.schedule(() => Promise.resolve(stamps.push(clock.now().getTime() - started)));
    // Ten at once, then the next ten only when the first ten have left the window.
    expect(stamps.slice(0, 10)).toEqual(Array.from({ length: 10 }, () => 0));
    expect(stamps.slice(10, 20)).toEqual(Array.from({ length: 10 }, () => 10_000));
    expect(stamps.slice(20)).toEqual(Array.from({ length: 5 }, () => 20_000));
    for (const stamp of stamps)
      expect(
        stamps.filter((other) => other >= stamp && other < stamp + 10_000).length,
      ).toBeLessThanOrEqual(10);
  });

  it('honours every window at once: the tightest decides', async () => {
    const clock = new FakeClock({ autoAdvance: true });
    const limiter = new RateLimiter({
      clock,
      limits: [burst, { name: 'daily', limit: 3, windowMs: 86_400_000, source: 'test' }],
    });
    for (let i = 0; i < 3; i++) await limiter.schedule(() => Promise.resolve());
    const before = clock.now().getTime();
    await limiter.schedule(() => Promise.resolve());
    expect(clock.now().getTime() - before).toBe(86_400_000 / 3);
  });

  it('keeps at most `concurrency` calls in flight', async () => {
    const clock = new FakeClock({ autoAdvance: true });
    const limiter = new RateLimiter({ clock, limits: [], concurrency: 2 });
    let active = 0;
    let peak = 0;
    const task = async (): Promise<void> => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setImmediate(resolve));
      active--;
    };
    await Promise.all(Array.from({ length: 6 }, () => limiter.schedule(task)));
    expect(peak).toBe(2);
    expect(limiter.activeCalls).toBe(0);
  });

  it('gives the slot back when the task fails', async () => {
    const limiter = new RateLimiter({ clock: new FakeClock(), limits: [], concurrency: 1 });
    await expect(limiter.schedule(() => Promise.reject(new Error('vendor down')))).rejects.toThrow(
      'vendor down',
    );
    await expect(limiter.schedule(() => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('never believes it has more tokens than the vendor reports', async () => {
    const clock = new FakeClock({ autoAdvance: true });
    const limiter = new RateLimiter({ clock, limits: [burst] });
    limiter.observe({
      name: 'burst',
      limit: 10,
      remaining: 1,
      observedAt: clock.now().toISOString(),
    });
    limiter.observe({
      name: 'other',
      limit: 5,
      remaining: 0,
      observedAt: clock.now().toISOString(),
    });
    expect(limiter.available()).toEqual({ burst: 1 });
    expect(limiter.budgets().map((budget) => budget.name)).toEqual(['burst', 'other']);
    await limiter.schedule(() => Promise.resolve());
    const before = clock.now().getTime();
    await limiter.schedule(() => Promise.resolve());
    expect(clock.now().getTime() - before).toBe(1_000);
  });

  it("takes the vendor's allocation for the window as its limit, above the declared default too", () => {
    const clock = new FakeClock({ autoAdvance: true });
    const day = 24 * 60 * 60 * 1000;
    const limiter = new RateLimiter({
      clock,
      limits: [{ name: 'daily', limit: 100_000, windowMs: day, source: 'test' }],
    });
    // An org that bought more calls: 1,000,000 a day, 40,000 spent.
    limiter.observe({
      name: 'daily',
      limit: 1_000_000,
      remaining: 960_000,
      windowMs: day,
      observedAt: clock.now().toISOString(),
    });
    expect(limiter.available()).toEqual({ daily: 960_000 });
    // A smaller allocation lowers it as before.
    limiter.observe({
      name: 'daily',
      limit: 5_000,
      remaining: 4_000,
      windowMs: day,
      observedAt: clock.now().toISOString(),
    });
    expect(limiter.available()).toEqual({ daily: 4_000 });
  });

  it('stops a waiting caller when its signal aborts', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ clock, limits: [{ ...burst, limit: 1 }] });
    await limiter.schedule(() => Promise.resolve());
    const controller = new AbortController();
    const waiting = limiter.schedule(() => Promise.resolve('ran'), controller.signal);
    await clock.advance(10);
    controller.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
  });
});
