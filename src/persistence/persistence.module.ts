import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiKeyRepository } from './api-key.repository';
import { AuditLogRepository } from './audit-log.repository';
import { ConflictRepository } from './conflict.repository';
import { ConnectionRepository } from './connection.repository';
import { FailedRecordRepository } from './failed-record.repository';
import { InstanceRepository } from './instance.repository';
import { RecordEventRepository } from './record-event.repository';
import { RunLeases } from './run-leases';
import { RunRequestRepository } from './run-requests';
import { RunRepository } from './run.repository';
import { SandboxSyncs } from './sandbox-syncs';
import { SyncHealthRepository } from './sync-health';
import { SyncRepository } from './sync.repository';
import { Transactions } from './transactions';
import { TypeOrmSyncStore } from './typeorm-sync-store';

const REPOSITORIES = [
  ApiKeyRepository,
  AuditLogRepository,
  ConflictRepository,
  ConnectionRepository,
  FailedRecordRepository,
  InstanceRepository,
  RecordEventRepository,
  RunLeases,
  RunRequestRepository,
  RunRepository,
  SandboxSyncs,
  SyncHealthRepository,
  SyncRepository,
  Transactions,
];

/**
 * The repositories, for every feature: the only classes that query the database (README,
 * Development, "Queries live in repositories"). The engine's store is here too, for dry runs
 * (preview).
 */
@Global()
@Module({
  providers: [
    ...REPOSITORIES,
    {
      provide: TypeOrmSyncStore,
      useFactory: (dataSource: DataSource) => new TypeOrmSyncStore(dataSource),
      inject: [DataSource],
    },
  ],
  exports: [...REPOSITORIES, TypeOrmSyncStore],
})
export class PersistenceModule {}
