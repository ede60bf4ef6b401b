/** `syncline export`: the server's syncs written as files. */
import type { Command } from 'commander';
import { clientOf, plural, type CommandContext } from '../context';
import { exportConfig } from '../../sync-config/export';
import { resolve } from 'node:path';

export function exportCommand(program: Command, { output, globals }: CommandContext): void {
  program
    .command('export')
    .description("Write the server's syncs as files (connection ids as names)")
    .argument('[dir]', 'config folder to write syncs/*.yaml into', 'config')
    .action(async (dir: string) => {
      const target = resolve(dir);
      const result = await exportConfig(target, clientOf(globals()), (done, total, label) => {
        output.progress.update(done, total, label === '' ? 'exported' : label);
      });
      output.progress.clear();
      for (const entry of result.written)
        output.out(`${entry.status.padEnd(9)} ${entry.file}  (${entry.name})`);
      if (result.schemaWritten !== undefined) output.out(`created   ${result.schemaWritten}`);
      for (const entry of result.notOnServer)
        output.out(output.c.dim(`kept      ${entry.file}  ("${entry.name}" is not on the server)`));
      output.out(`Exported ${plural(result.written.length, 'sync')} to ${target}.`);
    });
}
