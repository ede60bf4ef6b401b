/**
 * Waiting on a vendor-side job (the jobs capability): polls on the injected clock until the job
 * ends or the connector's patience runs out, so a write and a run that takes over wait alike.
 */
import type { Clock, JobState, JobTicket, JobsCapability } from './contract';
import { ConnectorError } from './errors';

const DEFAULT_POLL_MS = 2_000;
const DEFAULT_MAX_WAIT_MS = 30 * 60 * 1000;

/** The job's end state; a timeout when it runs longer than `jobs.maxWaitMs` from now. */
export async function finishJob(
  jobs: Pick<Partial<JobsCapability>, 'pollIntervalMs' | 'maxWaitMs'> &
    Pick<JobsCapability, 'poll'>,
  ticket: JobTicket,
  clock: Clock,
  signal?: AbortSignal,
): Promise<Exclude<JobState, { status: 'running' }>> {
  const maxWaitMs = jobs.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const deadline = clock.now().getTime() + maxWaitMs;
  for (;;) {
    const state = await jobs.poll(ticket);
    if (state.status !== 'running') return state;
    if (clock.now().getTime() >= deadline)
      throw new ConnectorError(
        'timeout',
        `job ${ticket.id} still running after ${maxWaitMs} ms; a later run picks it up`,
      );
    await clock.sleep(jobs.pollIntervalMs ?? DEFAULT_POLL_MS, signal);
  }
}
