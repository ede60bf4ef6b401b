import { FakeClock, systemClock } from './clock';

describe('FakeClock', () => {
  it('wakes sleepers in deadline order only when advanced past their time', async () => {
    const clock = new FakeClock({ start: '2024-05-01T00:00:00.000Z' });
    const woken: string[] = [];
    void clock.sleep(300).then(() => woken.push('300'));
    void clock.sleep(100).then(() => woken.push('100'));
    await clock.advance(99);
    expect(woken).toEqual([]);
    await clock.advance(201);
    expect(woken).toEqual(['100', '300']);
    expect(clock.now().toISOString()).toBe('2024-05-01T00:00:00.300Z');
    expect(clock.pendingSleeps).toBe(0);
  });

  it('honours a sleep started by a woken task within the same advance', async () => {
    const clock = new FakeClock();
    const start = clock.now().getTime();
    let wokeAt = 0;
    void clock
      .sleep(100)
      .then(() => clock.sleep(100))
      .then(() => {
        wokeAt = clock.now().getTime() - start;
      });
    await clock.advance(250);
    expect(wokeAt).toBe(200);
  });

  it('moves time by the sleep at once in auto-advance mode, and records every sleep', async () => {
    const clock = new FakeClock({ autoAdvance: true });
    const before = clock.now().getTime();
    await clock.sleep(30_000);
    await clock.sleep(5);
    expect(clock.now().getTime() - before).toBe(30_005);
    expect(clock.sleeps).toEqual([30_000, 5]);
    expect(clock.sleptMs).toBe(30_005);
  });

  it('rejects a sleep with the reason of its aborted signal', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(1_000, controller.signal);
    controller.abort(new Error('run cancelled'));
    await expect(sleeping).rejects.toThrow('run cancelled');
    expect(clock.pendingSleeps).toBe(0);
    await expect(clock.sleep(1, controller.signal)).rejects.toThrow('run cancelled');
  });
});

describe('systemClock', () => {
  it('rejects at once when the signal is already aborted, and stops waiting on abort', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(systemClock.sleep(60_000, controller.signal)).rejects.toThrow('stop');
    const later = new AbortController();
    const sleeping = systemClock.sleep(60_000, later.signal);
    later.abort(new Error('stopped later'));
    await expect(sleeping).rejects.toThrow('stopped later');
    await expect(systemClock.sleep(0)).resolves.toBeUndefined();
  });
});
