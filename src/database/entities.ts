/** Every TypeORM entity, listed explicitly (no globbing), for the data source. */
import type { MixedList } from 'typeorm';
import { AuditLogEntity } from '../persistence/audit-log.entity';
import { ApiKeyEntity } from '../persistence/api-key.entity';
import { InstanceEntity } from './instance.entity';
import {
  AudienceMemberEntity,
  ConflictEntity,
  EventLedgerEntity,
  ConnectionEntity,
  FailedRecordEntity,
  RecordEventEntity,
  RecordLinkEntity,
  SentAlertEntity,
  SyncCursorEntity,
  SyncEntity,
  SyncRunEntity,
  WriteIntentEntity,
} from '../persistence/entities';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const ENTITIES: MixedList<Function> = [
  InstanceEntity,
  ApiKeyEntity,
  AuditLogEntity,
  ConnectionEntity,
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
  SentAlertEntity,
];
