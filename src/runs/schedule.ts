/**
 * A sync's schedule (a cron expression in a time zone, or an interval), its validation and its
 * next occurrence. Pure: no database, no clock of its own.
 */
import { CronExpressionParser } from 'cron-parser';
import type { Schedule } from '../persistence/sync-columns';

export type {
  CronSchedule,
  IntervalSchedule,
  Schedule,
  SyncHealth,
} from '../persistence/sync-columns';

export const MIN_INTERVAL_SECONDS = 1;
export const MAX_INTERVAL_SECONDS = 31 * 24 * 3600;

export interface ScheduleProblem {
  path: string;
  problem: string;
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Problems of a schedule, by path under `schedule`; empty when it is valid. */
export function scheduleProblems(schedule: unknown, path = 'schedule'): ScheduleProblem[] {
  if (schedule === null) return [];
  if (typeof schedule !== 'object' || Array.isArray(schedule))
    return [{ path, problem: 'must be an object with cron (and timezone) or intervalSeconds' }];
  const given = schedule as Record<string, unknown>;
  const hasCron = given.cron !== undefined;
  const hasInterval = given.intervalSeconds !== undefined;
  if (hasCron === hasInterval)
    return [{ path, problem: 'give exactly one of cron or intervalSeconds' }];
  const extra = Object.keys(given).filter(
    (key) => !(hasCron ? ['cron', 'timezone'] : ['intervalSeconds']).includes(key),
  );
  if (extra.length > 0) return extra.map((key) => ({ path: `${path}.${key}`, problem: 'unknown' }));
  if (hasInterval) {
    const seconds = given.intervalSeconds;
    if (
      typeof seconds !== 'number' ||
      !Number.isInteger(seconds) ||
      seconds < MIN_INTERVAL_SECONDS ||
      seconds > MAX_INTERVAL_SECONDS
    )
      return [
        {
          path: `${path}.intervalSeconds`,
          problem: `must be a whole number of seconds from ${String(MIN_INTERVAL_SECONDS)} to ${String(MAX_INTERVAL_SECONDS)}`,
        },
      ];
    return [];
  }
  const problems: ScheduleProblem[] = [];
  const zone = given.timezone;
  if (zone !== undefined && (typeof zone !== 'string' || !isValidTimeZone(zone)))
    problems.push({
      path: `${path}.timezone`,
      problem: 'must be an IANA time zone, e.g. Europe/Paris',
    });
  if (typeof given.cron !== 'string' || given.cron.trim() === '') {
    problems.push({ path: `${path}.cron`, problem: 'must be a cron expression' });
  } else {
    const fields = given.cron.trim().split(/\s+/).length;
    if (fields !== 5 && fields !== 6) {
      problems.push({
        path: `${path}.cron`,
        problem: `must have 5 fields (minute hour day month weekday) or 6 (seconds first); got ${String(fields)}`,
      });
    } else {
      try {
        CronExpressionParser.parse(given.cron, { strict: false });
      } catch (error) {
        problems.push({
          path: `${path}.cron`,
          problem: `is not a valid cron expression: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
    }
  }
  return problems;
}

/** The first occurrence of the schedule strictly after `after`. */
export function nextOccurrence(schedule: Schedule, after: Date): Date {
  if ('intervalSeconds' in schedule)
    return new Date(after.getTime() + schedule.intervalSeconds * 1000);
  const expression = CronExpressionParser.parse(schedule.cron, {
    currentDate: after,
    tz: schedule.timezone ?? 'UTC',
  });
  return expression.next().toDate();
}

/** Where the run backoff of a sync lands after `failures` consecutive failed runs. */
export function retryDelayMs(failures: number, baseSeconds: number): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 10);
  return Math.min(baseSeconds * 1000 * 2 ** exponent, 60 * 60 * 1000);
}
