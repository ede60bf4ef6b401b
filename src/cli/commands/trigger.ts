/** `syncline trigger`: a run started now, and waited for on request. */
import type { Command } from 'commander';
import {
  EXIT_PROBLEMS,
  clientOf,
  findSync,
  countersOf,
  durationOf,
  sleep,
  type CommandContext,
  type RunBody,
} from '../context';
import { ApiError } from '../../sync-config/client';

export function triggerCommand(
  program: Command,
  { output, globals, setCode }: CommandContext,
): void {
  program
    .command('trigger')
    .description('Start a run of a sync now')
    .argument('<name>', 'the sync (name or id)')
    .option('--wait', 'wait for the run to end; exit 1 unless it succeeded')
    .option(
      '--full-refresh',
      'read the sources whole (records: linked records not found count as deleted; audiences: set to the source)',
    )
    .action(async (name: string, options: { wait?: boolean; fullRefresh?: boolean }) => {
      const client = clientOf(globals());
      const sync = await findSync(client, name);
      let run: RunBody;
      try {
        run = await client.request<RunBody>(
          'POST',
          `/api/v1/syncs/${sync.id}/runs`,
          options.fullRefresh === true ? { fullRefresh: true } : undefined,
        );
      } catch (error) {
        if (error instanceof ApiError && error.code === 'run_in_progress') {
          output.err(`"${sync.name}": ${error.message}`);
          setCode(EXIT_PROBLEMS);
          return;
        }
        throw error;
      }
      output.out(
        `run ${run.id} of "${sync.name}"${run.fullRefresh ? ' (full refresh)' : ''} ${run.status}`,
      );
      if (options.wait !== true) return;
      while (run.status === 'queued' || run.status === 'running') {
        await sleep(1000);
        run = await client.request<RunBody>('GET', `/api/v1/runs/${run.id}`);
        output.progress.text(`${run.status}: ${countersOf(run)}`);
      }
      output.progress.clear();
      const line = `run ${run.id} ${run.status} in ${durationOf(run)}: ${countersOf(run)}${run.error === null ? '' : `; ${run.error}`}`;
      output.out(run.status === 'succeeded' ? output.c.green(line) : output.c.red(line));
      if (run.status !== 'succeeded') setCode(EXIT_PROBLEMS);
    });
}
