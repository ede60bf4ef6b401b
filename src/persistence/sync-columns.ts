/**
 * The shapes of the syncs table's JSON and text columns, as stored. The features that own them
 * (runs: the schedule and health; alerts: the sealed alert settings) build on these, so the
 * persistence layer imports nothing above it.
 */

export interface CronSchedule {
  /** Five fields (minute precision) or six (with seconds first). */
  cron: string;
  /** IANA time zone the expression is read in; UTC when absent. */
  timezone?: string;
}

export interface IntervalSchedule {
  intervalSeconds: number;
}

export type Schedule = CronSchedule | IntervalSchedule;

export type SyncHealth = 'healthy' | 'degraded' | 'failing' | 'unhealthy';

/** A sync's alert settings as stored (see alerts/sealed-alerts.ts). */
export interface StoredAlerts {
  /** base64 of SecretBox.seal({ webhookUrl }). */
  sealedWebhookUrl?: string;
  /** `https://hooks.slack.com`: what the API and the console show. */
  webhookOrigin?: string;
  /** The URL in clear: only rows written before sealing. */
  webhookUrl?: string;
  failedRecordRate?: number;
  anomalyFactor?: number;
}
