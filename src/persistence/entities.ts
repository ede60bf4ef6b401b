/** The entities of the engine's tables (the hot path of the store uses SQL; the API uses these). */
export { ConflictEntity } from './conflict.entity';
export { ConnectionEntity } from './connection.entity';
export { ConnectionTokenEntity } from './connection-token.entity';
export { FailedRecordEntity } from './failed-record.entity';
export { AudienceMemberEntity, EventLedgerEntity } from './ledger.entity';
export { RecordEventEntity } from './record-event.entity';
export { RecordLinkEntity } from './record-link.entity';
export { SentAlertEntity } from './sent-alert.entity';
export { SyncCursorEntity } from './sync-cursor.entity';
export { SyncRunEntity } from './sync-run.entity';
export { SyncEntity } from './sync.entity';
export { WriteIntentEntity } from './write-intent.entity';
