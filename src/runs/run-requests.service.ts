/**
 * Runs asked for through the API (manual runs, retries of failed records): the run queued, then
 * its job sent to the workers. The one place that answers such a request in HTTP terms (404, 400,
 * 409); the worker (RunExecutor) throws none.
 */
import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { kindOf, type RunTrigger } from '../engine';
import { apiError } from '../common/api-error';
import { RunActiveError, RunRequestRepository, type RunScope } from '../persistence/run-requests';
import { isUniqueViolation } from '../persistence/sql';
import type { SyncRunEntity } from '../persistence/sync-run.entity';
import { Transactions } from '../persistence/transactions';
import { RunExecutor } from './run-executor';

@Injectable()
export class RunRequests {
  constructor(
    private readonly requests: RunRequestRepository,
    private readonly transactions: Transactions,
    private readonly executor: RunExecutor,
  ) {}

  /** Queues a run of the sync now; 404 without the sync, 409 when one is queued or running. */
  async start(syncId: string, trigger: RunTrigger, scope: RunScope = {}): Promise<SyncRunEntity> {
    let run: SyncRunEntity;
    try {
      run = await this.transactions.run(async (manager) => {
        const locked = await this.requests.lockSync(manager, syncId);
        if (locked === null)
          throw new NotFoundException(
            apiError('not_found', `No sync with id ${syncId}`, [
              { path: 'id', problem: 'not found' },
            ]),
          );
        if (scope.fullRefresh === true && kindOf(locked.definition) === 'events')
          throw new BadRequestException(
            apiError('validation_failed', 'A full refresh is for records and audience syncs', [
              {
                path: 'fullRefresh',
                problem: 'an events sync sends each event once and has nothing to refresh',
              },
            ]),
          );
        return this.requests.insertQueuedRun(manager, syncId, trigger, scope);
      });
    } catch (error) {
      if (error instanceof RunActiveError)
        throw new ConflictException(
          apiError('run_in_progress', error.message, [
            { path: 'runId', problem: error.runId ?? '' },
          ]),
        );
      // Another replica queued one between our check and our insert.
      if (isUniqueViolation(error))
        throw new ConflictException(
          apiError('run_in_progress', 'A run of this sync is already queued or running', [
            { path: 'syncId', problem: syncId },
          ]),
        );
      throw error;
    }
    await this.executor.send(syncId);
    return run;
  }
}
