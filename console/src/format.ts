/** How the console writes times, durations and numbers: in the reader's locale. */

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const number = new Intl.NumberFormat();

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** "3 minutes ago", "in 2 hours", "now". */
export function fromNow(iso: string, now = Date.now()): string {
  const delta = Date.parse(iso) - now;
  if (Math.abs(delta) < 5000) return 'now';
  for (const [unit, ms] of UNITS) {
    if (Math.abs(delta) >= ms || unit === 'second')
      return relative.format(Math.round(delta / ms), unit);
  }
  return relative.format(0, 'second');
}

export function dateTime(iso: string): string {
  return absolute.format(new Date(iso));
}

/** "1.2 s", "3 min 4 s", "2 h 5 min". */
export function duration(fromIso: string, toIso: string | null, now = Date.now()): string {
  const ms = Math.max(0, (toIso === null ? now : Date.parse(toIso)) - Date.parse(fromIso));
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

export function count(value: number): string {
  return number.format(value);
}

export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** Words for the API's snake_case values: `left_to_right` → "left to right". */
export function words(value: string): string {
  return value.replaceAll('_', ' ');
}
