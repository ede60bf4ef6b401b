/** The syncs API's checks that need no database: the error shape, schedules and alerts. */
import { BadRequestException } from '@nestjs/common';
import { type ValidationProblem } from '../engine';
import { type AlertSettings, validateAlertSettings } from '../alerts/alert-settings';
import { openAlerts, sealAlerts, type StoredAlerts } from '../alerts/sealed-alerts';
import type { SecretBox } from '../secrets/secret-box';
import { apiError, type ApiErrorDetail } from '../common/api-error';
import { nextOccurrence, scheduleProblems, type Schedule } from '../runs/schedule';

export function invalid(details: ApiErrorDetail[]): BadRequestException {
  return new BadRequestException(
    apiError('validation_failed', 'The sync definition is invalid', details),
  );
}

/** The problems found before, then the service's own at other paths (one problem per path). */
export function withGiven(given: ApiErrorDetail[], own: ApiErrorDetail[]): ApiErrorDetail[] {
  const paths = new Set(given.map((problem) => problem.path));
  return [...given, ...own.filter((problem) => !paths.has(problem.path))];
}

/** Problems of the schedule and alerts of a create or update (absent ones are not checked). */
export function runSettingsProblems(
  input: {
    schedule?: Record<string, unknown> | null;
    alerts?: Record<string, unknown> | null;
  },
  allowPrivate: boolean,
): ValidationProblem[] {
  return [
    ...(input.schedule === undefined ? [] : scheduleProblems(input.schedule)),
    ...(input.alerts === undefined
      ? []
      : validateAlertSettings(input.alerts, 'alerts', { allowPrivate })),
  ];
}

/** The schedule's next run from now; null without a schedule or while disabled. */
export function nextRunAt(schedule: Schedule | null, enabled: boolean): Date | null {
  return schedule === null || !enabled ? null : nextOccurrence(schedule, new Date());
}

/**
 * Alerts changed without their webhook URL keep the one stored (the API shows it masked, so a
 * client changing a threshold could not send it back).
 */
export function keepingWebhookUrl(
  box: SecretBox,
  alerts: Record<string, unknown> | null | undefined,
  stored: StoredAlerts | null,
): Record<string, unknown> | null | undefined {
  if (alerts === null || alerts === undefined || stored === null) return alerts;
  if (alerts.webhookUrl !== undefined) return alerts;
  return { webhookUrl: openAlerts(box, stored)?.webhookUrl, ...alerts };
}

/** Alerts as stored: the webhook URL sealed. */
export function storedAlerts(
  box: SecretBox,
  alerts: Record<string, unknown> | null | undefined,
): StoredAlerts | null {
  return alerts === null || alerts === undefined
    ? null
    : sealAlerts(box, alerts as unknown as AlertSettings);
}
