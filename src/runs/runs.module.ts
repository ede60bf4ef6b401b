import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '../config/environment';
import { SCHEDULER_OPTIONS, SchedulerService } from './scheduler.service';
import { LOG_RETENTION_OPTIONS, LogRetentionService } from './log-retention.service';
import { RUNS_OPTIONS, RunExecutor } from './run-executor';
import { OUTCOME_OPTIONS, RunOutcomes } from './run-outcomes';
import { RecordsController, RunsController, SyncRunsController } from './runs.controller';
import { RunRequests } from './run-requests.service';
import { RunsService } from './runs.service';

/**
 * Runs: requesting, executing (the worker on the job queue), scheduling, cancelling, reading them
 * and their sync log.
 */
@Global()
@Module({})
export class RunsModule {
  static forRoot(
    config: Pick<
      AppConfig,
      | 'workerConcurrency'
      | 'pageSize'
      | 'runLeaseSeconds'
      | 'tickSeconds'
      | 'runRetrySeconds'
      | 'firstRunMaxUnmatched'
      | 'unhealthyAfter'
      | 'logRetentionDays'
    >,
  ): DynamicModule {
    return {
      module: RunsModule,
      controllers: [RunsController, SyncRunsController, RecordsController],
      providers: [
        {
          provide: RUNS_OPTIONS,
          useValue: {
            workerConcurrency: config.workerConcurrency,
            pageSize: config.pageSize,
            runLeaseSeconds: config.runLeaseSeconds,
            pollingIntervalSeconds: Math.min(2, config.tickSeconds),
            firstRunMaxUnmatched: config.firstRunMaxUnmatched,
          },
        },
        {
          provide: OUTCOME_OPTIONS,
          useValue: {
            runRetrySeconds: config.runRetrySeconds,
            unhealthyAfter: config.unhealthyAfter,
          },
        },
        {
          provide: SCHEDULER_OPTIONS,
          useValue: {
            tickSeconds: config.tickSeconds,
            requeueAfterSeconds: Math.max(2 * config.tickSeconds, 10),
          },
        },
        { provide: LOG_RETENTION_OPTIONS, useValue: { days: config.logRetentionDays } },
        LogRetentionService,
        RunExecutor,
        RunOutcomes,
        RunRequests,
        RunsService,
        SchedulerService,
      ],
      exports: [RunExecutor, RunRequests, RunsService, LogRetentionService],
    };
  }
}
