/**
 * Every TypeORM entity, each in src/persistence beside the repository that queries it, listed
 * explicitly (no globbing) for the data source. The engine's hot path uses SQL on the same tables.
 */
import type { MixedList } from 'typeorm';
import { ApiKeyEntity } from './api-key.entity';
import { AuditLogEntity } from './audit-log.entity';
import { ConflictEntity } from './conflict.entity';
import { ConnectionEntity } from './connection.entity';
import { ConnectionTokenEntity } from './connection-token.entity';
import { FailedRecordEntity } from './failed-record.entity';
import { InstanceEntity } from './instance.entity';
import { AudienceMemberEntity, EventLedgerEntity } from './ledger.entity';
import { RecordEventEntity } from './record-event.entity';
import { RecordLinkEntity } from './record-link.entity';
import { SentAlertEntity } from './sent-alert.entity';
import { SyncCursorEntity } from './sync-cursor.entity';
import { SyncRunEntity } from './sync-run.entity';
import { SyncEntity } from './sync.entity';
import { WriteIntentEntity } from './write-intent.entity';

export {
  ApiKeyEntity,
  AudienceMemberEntity,
  AuditLogEntity,
  ConflictEntity,
  ConnectionEntity,
  ConnectionTokenEntity,
  EventLedgerEntity,
  FailedRecordEntity,
  InstanceEntity,
  RecordEventEntity,
  RecordLinkEntity,
  SentAlertEntity,
  SyncCursorEntity,
  SyncEntity,
  SyncRunEntity,
  WriteIntentEntity,
};

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const ENTITIES: MixedList<Function> = [
  InstanceEntity,
  ApiKeyEntity,
  AuditLogEntity,
  ConnectionEntity,
  ConnectionTokenEntity,
  SyncEntity,
  RecordLinkEntity,
  SentAlertEntity,
  SyncCursorEntity,
  SyncRunEntity,
  RecordEventEntity,
  FailedRecordEntity,
  ConflictEntity,
  WriteIntentEntity,
  EventLedgerEntity,
  AudienceMemberEntity,
];
