/** `syncline plan`: what apply would change on the server, field by field. */
import type { Command } from 'commander';
import { EXIT_USAGE, type CommandContext } from '../context';
import { planned } from '../config-steps';
import { hasChanges } from '../../sync-config/plan';

export function planCommand(program: Command, { output, globals, setCode }: CommandContext): void {
  program
    .command('plan')
    .description('Show what apply would change on the server, field by field')
    .argument('[dir]', 'config folder', 'config')
    .option('--prune', 'remove syncs of the server that no file defines')
    .option('--detailed-exitcode', 'exit 2 when there are changes (0: none, 1: problems)')
    .action(async (dir: string, options: { prune?: boolean; detailedExitcode?: boolean }) => {
      const { plan, code } = await planned(output, dir, globals(), options.prune === true);
      if (plan !== undefined && options.detailedExitcode === true && hasChanges(plan))
        setCode(EXIT_USAGE);
      else setCode(code);
    });
}
