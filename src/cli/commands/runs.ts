/** `syncline runs`: recent runs, newest first. */
import type { Command } from 'commander';
import {
  clientOf,
  findSync,
  durationOf,
  table,
  positiveInt,
  type CommandContext,
  type RunBody,
  type SyncRef,
} from '../context';

export function runsCommand(program: Command, { output, globals }: CommandContext): void {
  program
    .command('runs')
    .description('Recent runs, newest first')
    .option('--sync <name>', 'runs of this sync only')
    .option('--limit <n>', 'how many (1-200)', positiveInt(200), 20)
    .action(async (options: { sync?: string; limit: number }) => {
      const client = clientOf(globals());
      const syncs = await client.all<SyncRef>('/api/v1/syncs');
      const names = new Map(syncs.map((s) => [s.id, s.name]));
      const query = new URLSearchParams({ limit: String(options.limit) });
      if (options.sync !== undefined)
        query.set('syncId', (await findSync(client, options.sync)).id);
      const runs = await client.request<{ items: RunBody[] }>(
        'GET',
        `/api/v1/runs?${query.toString()}`,
      );
      if (runs.items.length === 0) {
        output.out('No runs.');
        return;
      }
      const rows = [
        [
          'STARTED',
          'SYNC',
          'TRIGGER',
          'STATUS',
          'READ',
          'CREATED',
          'UPDATED',
          'CONFLICTS',
          'FAILED',
          'TOOK',
        ],
        ...runs.items.map((run) => [
          run.startedAt,
          names.get(run.syncId) ?? run.syncId,
          run.trigger,
          run.status,
          String(run.counters.read),
          String(run.counters.created),
          String(run.counters.updated),
          String(run.counters.conflicts),
          String(run.counters.failed),
          durationOf(run),
        ]),
      ];
      for (const line of table(rows)) output.out(line);
    });
}
