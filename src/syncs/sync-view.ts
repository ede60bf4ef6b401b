/** A stored sync as the API gives it (its body, its masked alerts, its health). */
import { alertThresholds, maskedWebhookUrl } from '../alerts/sealed-alerts';
import type { SyncEntity } from '../persistence/sync.entity';
import { DEFINITION_DEFAULTS, type SyncBody, type SyncKind } from '../sync-definition/schema';
import type { SentAlertEntity } from '../persistence/sent-alert.entity';
import type { SentAlertDto, SyncDto } from './syncs.dto';

/** The API's body of a stored sync (definitions stored before kinds existed are records syncs). */
export function toBody(entity: SyncEntity): SyncBody & { kind: SyncKind } {
  const { id: _, left, right, kind, ...rest } = entity.definition;
  return {
    ...rest,
    kind: kind ?? DEFINITION_DEFAULTS.kind,
    left: { connectionId: entity.leftConnectionId, ...left },
    right: { connectionId: entity.rightConnectionId, ...right },
  };
}

/** The sync as the API gives it: its webhook URL masked. */
export function syncView(entity: SyncEntity): SyncDto {
  return {
    id: entity.id,
    name: entity.name,
    enabled: entity.enabled,
    version: entity.version,
    ...toBody(entity),
    schedule: entity.schedule,
    nextRunAt: entity.nextRunAt?.toISOString() ?? null,
    alerts:
      entity.alerts === null
        ? null
        : {
            // The path hidden: Slack's URLs and most others' carry their secret there.
            webhookUrl: maskedWebhookUrl(entity.alerts),
            ...alertThresholds(entity.alerts),
          },
    health: {
      status: entity.health,
      consecutiveFailures: entity.consecutiveFailures,
      retryAt: entity.retryAt?.toISOString() ?? null,
      reason: entity.healthReason,
    },
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}

/** An alert the sync sent or tried to send. */
export function sentAlertView(row: SentAlertEntity): SentAlertDto {
  return {
    at: row.at.toISOString(),
    runId: row.runId,
    kind: row.kind,
    text: row.text,
    delivered: row.delivered,
    detail: row.detail,
  };
}
