import { Module } from '@nestjs/common';
import { FailedRecordsController, SyncFailedRecordsController } from './failed-records.controller';
import { FailedRecordsService } from './failed-records.service';

/** Failed records: list, retry, discard. */
@Module({
  controllers: [FailedRecordsController, SyncFailedRecordsController],
  providers: [FailedRecordsService],
})
export class FailedRecordsModule {}
