import { nextOccurrence, retryDelayMs, scheduleProblems } from './schedule';

describe('schedules', () => {
  it('accepts cron expressions with a time zone, and intervals', () => {
    expect(scheduleProblems({ cron: '*/15 * * * *', timezone: 'Europe/Paris' })).toEqual([]);
    expect(scheduleProblems({ cron: '*/5 * * * * *' })).toEqual([]);
    expect(scheduleProblems({ intervalSeconds: 300 })).toEqual([]);
    expect(scheduleProblems(null)).toEqual([]);
  });

  it('names the offending field of a bad schedule', () => {
    const paths = (value: unknown): string[] => scheduleProblems(value).map((p) => p.path);
    expect(paths({ cron: '61 * * * *' })).toEqual(['schedule.cron']);
    expect(paths({ cron: '* * *' })).toEqual(['schedule.cron']);
    expect(paths({ cron: '* * * * *', timezone: 'Nowhere/Town' })).toEqual(['schedule.timezone']);
    expect(paths({ intervalSeconds: 0 })).toEqual(['schedule.intervalSeconds']);
    expect(paths({ intervalSeconds: '60' })).toEqual(['schedule.intervalSeconds']);
    expect(paths({ cron: '* * * * *', intervalSeconds: 60 })).toEqual(['schedule']);
    expect(paths({})).toEqual(['schedule']);
    expect(paths({ cron: '* * * * *', at: 'noon' })).toEqual(['schedule.at']);
    expect(paths('hourly')).toEqual(['schedule']);
  });

  it('finds the next occurrence in the schedule’s time zone', () => {
    // 09:00 in Paris is 08:00 UTC in winter.
    const next = nextOccurrence(
      { cron: '0 9 * * *', timezone: 'Europe/Paris' },
      new Date('2026-11-24T10:00:00Z'),
    );
    expect(next.toISOString()).toBe('2026-11-25T08:00:00.000Z');
    expect(
      nextOccurrence({ cron: '*/5 * * * *' }, new Date('2026-11-24T10:02:30Z')).toISOString(),
    ).toBe('2026-11-24T10:05:00.000Z');
    expect(
      nextOccurrence({ intervalSeconds: 90 }, new Date('2026-11-24T10:00:00Z')).toISOString(),
    ).toBe('2026-11-24T10:01:30.000Z');
  });

  it('backs off failed runs exponentially, up to an hour', () => {
    expect([1, 2, 3, 4].map((failures) => retryDelayMs(failures, 60))).toEqual([
      60_000, 120_000, 240_000, 480_000,
    ]);
    expect(retryDelayMs(30, 60)).toBe(3_600_000);
  });
});
