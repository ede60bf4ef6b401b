/**
 * Validation of a sync's alert settings, as the syncs API receives them. Pure, so the API and
 * tests call it without Nest. Problems never echo the webhook URL: it is a secret (a Slack
 * webhook URL is its own credential) and problems end up in responses and logs.
 */

import { webhookTargetProblem } from './webhook-post';

export interface AlertSettings {
  /** Called with a Slack-compatible JSON payload. */
  webhookUrl: string;
  /** Alert when a run's failed records exceed this share of the records it read (0 to 1). */
  failedRecordRate?: number;
  /**
   * Alert when a run creates or deletes more than this many times its usual number of records
   * (the median of the sync's last runs); see RECORD_ANOMALY in run-outcomes.
   */
  anomalyFactor?: number;
}

export interface AlertSettingsProblem {
  path: string;
  problem: string;
}

export const MAX_WEBHOOK_URL_LENGTH = 2048;

const KNOWN_KEYS: readonly string[] = ['webhookUrl', 'failedRecordRate', 'anomalyFactor'];

/** The bounds of anomalyFactor: twice the usual at least (less is noise), a thousand at most. */
export const MIN_ANOMALY_FACTOR = 2;
export const MAX_ANOMALY_FACTOR = 1000;

/**
 * Problems of alert settings, by path under `path`; empty when valid (null means no alerts).
 * `allowPrivate` (SYNCLINE_ALERT_WEBHOOK_ALLOW_PRIVATE) lets the URL use http and a private or
 * loopback address; otherwise it must be https, and a literal address must be a public one (a host
 * name is checked again when it is resolved, at each send).
 */
export function validateAlertSettings(
  value: unknown,
  path = 'alerts',
  options: { allowPrivate: boolean } = { allowPrivate: false },
): AlertSettingsProblem[] {
  if (value === null) return [];
  if (typeof value !== 'object' || Array.isArray(value))
    return [
      {
        path,
        problem: 'must be null or an object with webhookUrl (and failedRecordRate, anomalyFactor)',
      },
    ];
  const given = value as Record<string, unknown>;
  const problems: AlertSettingsProblem[] = Object.keys(given)
    .filter((key) => !KNOWN_KEYS.includes(key))
    .map((key) => ({ path: `${path}.${key}`, problem: 'unknown' }));

  const urlProblem = webhookUrlProblem(given.webhookUrl, options.allowPrivate);
  if (urlProblem !== null) problems.push({ path: `${path}.webhookUrl`, problem: urlProblem });

  const rate = given.failedRecordRate;
  if (
    rate !== undefined &&
    (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0 || rate > 1)
  )
    problems.push({
      path: `${path}.failedRecordRate`,
      problem: 'must be a number greater than 0 and at most 1 (a share of the records read)',
    });
  const factor = given.anomalyFactor;
  if (
    factor !== undefined &&
    (typeof factor !== 'number' ||
      !Number.isFinite(factor) ||
      factor < MIN_ANOMALY_FACTOR ||
      factor > MAX_ANOMALY_FACTOR)
  )
    problems.push({
      path: `${path}.anomalyFactor`,
      problem: `must be a number from ${String(MIN_ANOMALY_FACTOR)} to ${String(MAX_ANOMALY_FACTOR)} (times a run's usual number of creates or deletes)`,
    });
  return problems;
}

function webhookUrlProblem(url: unknown, allowPrivate: boolean): string | null {
  if (url === undefined) return 'required';
  if (typeof url !== 'string') return 'must be a string: an absolute https URL';
  if (url.length > MAX_WEBHOOK_URL_LENGTH)
    return `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute https URL';
  }
  const target = webhookTargetProblem(parsed, allowPrivate);
  if (target !== undefined) return target;
  if (parsed.hostname === '') return 'must name a host';
  if (parsed.username !== '' || parsed.password !== '') return 'must not carry a user or password';
  return null;
}
