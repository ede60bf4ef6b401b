/** `syncline logs`: a sync's log, oldest first, or followed. */
import type { Command } from 'commander';
import { clientOf, findSync, sleep, parseSince, type CommandContext } from '../context';

export function logsCommand(program: Command, { output, globals }: CommandContext): void {
  program
    .command('logs')
    .description("A sync's log: what happened to each record, oldest first")
    .requiredOption('--sync <name>', 'the sync')
    .option('--since <when>', 'from this long ago (30s, 10m, 2h, 1d) or an ISO date', '1h')
    .option('--follow', 'keep polling for new events (Ctrl-C to stop)')
    .action(async (options: { sync: string; since: string; follow?: boolean }) => {
      const client = clientOf(globals());
      const sync = await findSync(client, options.sync);
      const from = parseSince(options.since);
      let cursor: string | undefined;
      for (;;) {
        const query = new URLSearchParams({ limit: '500' });
        if (cursor === undefined) query.set('from', from);
        else query.set('cursor', cursor);
        const page = await client.request<{
          items: Array<{
            id: string;
            at: string;
            side: string;
            action: string;
            leftId: string | null;
            rightId: string | null;
            fields: string[];
            errorCode: string | null;
            message: string | null;
          }>;
          nextCursor: string | null;
        }>('GET', `/api/v1/syncs/${sync.id}/events?${query.toString()}`);
        for (const event of page.items) {
          const action =
            event.action === 'failed' || event.action === 'ambiguous_match'
              ? output.c.red(event.action.padEnd(15))
              : event.action === 'conflict'
                ? output.c.yellow(event.action.padEnd(15))
                : event.action.padEnd(15);
          const fields = event.fields.length > 0 ? ` [${event.fields.join(', ')}]` : '';
          const error = event.errorCode === null ? '' : ` ${event.errorCode}`;
          const message = event.message === null ? '' : `: ${event.message}`;
          output.out(
            `${event.at}  ${action} ${event.side.padEnd(5)} ${event.leftId ?? '-'} ↔ ${event.rightId ?? '-'}${fields}${error}${message}`,
          );
          cursor = event.id;
        }
        if (page.nextCursor !== null) continue;
        if (options.follow !== true) return;
        await sleep(2000);
      }
    });
}
