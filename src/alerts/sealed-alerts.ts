/**
 * A sync's alert settings as stored: the webhook URL sealed like connection secrets (a Slack
 * webhook URL is its own credential), its origin in clear for display. Rows from before sealing
 * hold `webhookUrl` in clear until the next start seals them (SyncsService).
 */
import type { AlertSettings } from './alert-settings';
import type { StoredAlerts } from '../persistence/sync-columns';
import type { SecretBox } from '../secrets/secret-box';

export type { StoredAlerts } from '../persistence/sync-columns';

/** The settings other than the URL, as given (absent ones stay absent). */
export function alertThresholds(
  settings: Pick<AlertSettings, 'failedRecordRate' | 'anomalyFactor'>,
): Pick<AlertSettings, 'failedRecordRate' | 'anomalyFactor'> {
  return {
    ...(settings.failedRecordRate === undefined
      ? {}
      : { failedRecordRate: settings.failedRecordRate }),
    ...(settings.anomalyFactor === undefined ? {} : { anomalyFactor: settings.anomalyFactor }),
  };
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

export function sealAlerts(box: SecretBox, settings: AlertSettings): StoredAlerts {
  return {
    sealedWebhookUrl: box.seal({ webhookUrl: settings.webhookUrl }).toString('base64'),
    webhookOrigin: originOf(settings.webhookUrl),
    ...alertThresholds(settings),
  };
}

export function openAlerts(box: SecretBox, stored: StoredAlerts | null): AlertSettings | null {
  if (stored === null) return null;
  const webhookUrl =
    stored.sealedWebhookUrl === undefined
      ? (stored.webhookUrl ?? '')
      : (box.open(Buffer.from(stored.sealedWebhookUrl, 'base64')) as { webhookUrl?: string })
          .webhookUrl;
  return {
    webhookUrl: webhookUrl ?? '',
    ...alertThresholds(stored),
  };
}

/** The webhook URL with its path hidden (`https://hooks.slack.com/…`). */
export function maskedWebhookUrl(stored: StoredAlerts): string {
  const origin = stored.webhookOrigin ?? originOf(stored.webhookUrl ?? '');
  return origin === '' ? '…' : `${origin}/…`;
}
