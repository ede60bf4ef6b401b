import { Module } from '@nestjs/common';
import { RunExecutor } from './run-executor';
import { RunsController, SyncRunsController } from './runs.controller';
import { RunsService } from './runs.service';

/** Triggering and cancelling runs, reading them and their sync log. */
@Module({
  controllers: [RunsController, SyncRunsController],
  providers: [RunExecutor, RunsService],
  exports: [RunExecutor, RunsService],
})
export class RunsModule {}
