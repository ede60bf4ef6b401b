import { Module } from '@nestjs/common';
import { RunsModule } from '../runs/runs.module';
import { FailedRecordsController, SyncFailedRecordsController } from './failed-records.controller';
import { FailedRecordsService } from './failed-records.service';

/** Failed records: list, retry, discard. */
@Module({
  imports: [RunsModule],
  controllers: [FailedRecordsController, SyncFailedRecordsController],
  providers: [FailedRecordsService],
})
export class FailedRecordsModule {}
