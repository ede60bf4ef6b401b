/** `syncline plan`: what apply would change on the server, field by field. */
import type { Command } from 'commander';
import { EXIT_USAGE, clientOf, type CommandContext } from '../context';
import { planned, printPreviews } from '../config-steps';
import { hasChanges } from '../../sync-config/plan';
import { previewPlan } from '../../sync-config/preview';

interface PlanOptions {
  prune?: boolean;
  detailedExitcode?: boolean;
  preview?: boolean;
  sample?: number;
}

export function planCommand(program: Command, { output, globals, setCode }: CommandContext): void {
  program
    .command('plan')
    .description('Show what apply would change on the server, field by field')
    .argument('[dir]', 'config folder', 'config')
    .option('--prune', 'remove syncs of the server that no file defines')
    .option('--detailed-exitcode', 'exit 2 when there are changes (0: none, 1: problems)')
    .option(
      '--preview',
      'also preview each sync to create or change on live data (a sample of each side; nothing written)',
    )
    .option('--sample <n>', 'records read per side by --preview (1 to 1000, default 100)', Number)
    .action(async (dir: string, options: PlanOptions) => {
      const { plan, check, code } = await planned(output, dir, globals(), options.prune === true);
      if (plan !== undefined && check !== undefined && options.preview === true) {
        output.out('');
        const previews = await previewPlan(plan, clientOf(globals()), check.connectionIds, {
          ...(options.sample === undefined ? {} : { sample: options.sample }),
          progress: (done, total, label) => {
            output.progress.update(done, total, label === '' ? 'previewed' : label);
          },
        });
        output.progress.clear();
        printPreviews(output, previews);
      }
      if (plan !== undefined && options.detailedExitcode === true && hasChanges(plan))
        setCode(EXIT_USAGE);
      else setCode(code);
    });
}
