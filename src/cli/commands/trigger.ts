/** `syncline trigger`: a run started now, and waited for on request. */
import type { Command } from 'commander';
import {
  EXIT_PROBLEMS,
  clientOf,
  confirm,
  findSync,
  countersOf,
  durationOf,
  sleep,
  type CommandContext,
  type Io,
  type RunBody,
} from '../context';
import { ApiError, type SynclineClient } from '../../sync-config/client';

interface TriggerOptions {
  wait?: boolean;
  fullRefresh?: boolean;
  confirmFirstRun?: boolean;
}

/** The run ended, its progress shown on a terminal. */
async function ended(output: Io, client: SynclineClient, started: RunBody): Promise<RunBody> {
  let run = started;
  while (run.status === 'queued' || run.status === 'running') {
    await sleep(1000);
    run = await client.request<RunBody>('GET', `/api/v1/runs/${run.id}`);
    output.progress.text(`${run.status}: ${countersOf(run)}`);
  }
  output.progress.clear();
  return run;
}

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
    .option(
      '--confirm-first-run',
      "run a records sync's first run even though few of its records would match (it would otherwise wait for confirmation)",
    )
    .action(async (name: string, options: TriggerOptions) => {
      const client = clientOf(globals());
      const sync = await findSync(client, name);
      const start = async (confirmFirstRun: boolean): Promise<RunBody | undefined> => {
        try {
          const run = await client.request<RunBody>('POST', `/api/v1/syncs/${sync.id}/runs`, {
            ...(options.fullRefresh === true ? { fullRefresh: true } : {}),
            ...(confirmFirstRun ? { confirmFirstRun: true } : {}),
          });
          output.out(
            `run ${run.id} of "${sync.name}"${run.fullRefresh ? ' (full refresh)' : ''}${confirmFirstRun ? ' (first run confirmed)' : ''} ${run.status}`,
          );
          return run;
        } catch (error) {
          if (!(error instanceof ApiError) || error.code !== 'run_in_progress') throw error;
          output.err(`"${sync.name}": ${error.message}`);
          setCode(EXIT_PROBLEMS);
          return undefined;
        }
      };
      const started = await start(options.confirmFirstRun === true);
      if (started === undefined || options.wait !== true) return;
      let run = await ended(output, client, started);
      if (run.errorCode === 'confirmation_required') {
        output.err(output.ce.yellow(run.error ?? 'The first run waits for confirmation.'));
        if (
          process.stdin.isTTY &&
          (await confirm(output, `Run the first run of "${sync.name}" anyway?`))
        ) {
          const again = await start(true);
          if (again === undefined) return;
          run = await ended(output, client, again);
        } else {
          output.err(
            `Not run. To run it: syncline trigger ${JSON.stringify(sync.name)} --confirm-first-run`,
          );
          setCode(EXIT_PROBLEMS);
          return;
        }
      }
      const line = `run ${run.id} ${run.status} in ${durationOf(run)}: ${countersOf(run)}${run.error === null ? '' : `; ${run.error}`}`;
      output.out(run.status === 'succeeded' ? output.c.green(line) : output.c.red(line));
      if (run.status !== 'succeeded') setCode(EXIT_PROBLEMS);
    });
}
