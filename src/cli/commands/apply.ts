/** `syncline apply`: the files applied to the server, after confirmation. */
import type { Command } from 'commander';
import {
  CliError,
  EXIT_PROBLEMS,
  EXIT_USAGE,
  clientOf,
  confirm,
  type CommandContext,
} from '../context';
import { planned } from '../config-steps';
import { applyPlan } from '../../sync-config/apply';
import { hasChanges } from '../../sync-config/plan';
import { formatProblem } from '../output';

export function applyCommand(program: Command, { output, globals, setCode }: CommandContext): void {
  program
    .command('apply')
    .description('Apply the files to the server (asks for confirmation)')
    .argument('[dir]', 'config folder', 'config')
    .option('--yes', 'apply without asking')
    .option('--prune', 'also remove syncs of the server that no file defines')
    .action(async (dir: string, options: { yes?: boolean; prune?: boolean }) => {
      const { plan, check, code } = await planned(output, dir, globals(), options.prune === true);
      if (plan === undefined || check === undefined) {
        setCode(code);
        return;
      }
      if (!hasChanges(plan)) return;
      if (options.yes !== true) {
        if (!process.stdin.isTTY)
          throw new CliError(
            'not applied: confirmation needed, and stdin is not a terminal; pass --yes to apply without asking',
            EXIT_USAGE,
          );
        if (!(await confirm(output, `Apply these changes to ${globals().url}?`))) {
          output.err('Not applied.');
          setCode(EXIT_PROBLEMS);
          return;
        }
      }
      const result = await applyPlan(plan, clientOf(globals()), check.connectionIds, {
        progress: (done, total, label) => {
          output.progress.update(done, total, label === '' ? 'done' : label);
        },
      });
      output.progress.clear();
      for (const problem of result.problems) output.err(output.ce.red(formatProblem(problem)));
      output.out(
        `Applied: ${String(result.created.length)} created, ${String(result.changed.length)} changed, ${String(result.removed.length)} removed.`,
      );
      if (result.problems.length > 0) setCode(EXIT_PROBLEMS);
    });
}
