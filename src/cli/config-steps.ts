/** Validating a config folder and planning its changes: what validate, plan and apply share. */
import { allProblems, loadConfigDir, type LoadedConfig } from '../sync-config/load';
import { hasChanges, makePlan, type Plan } from '../sync-config/plan';
import { checkAgainstServer, type ServerCheck } from '../sync-config/server-check';
import {
  EXIT_OK,
  EXIT_PROBLEMS,
  clientOf,
  configDir,
  plural,
  type GlobalOptions,
  type Io,
} from './context';
import { formatProblem, formatValue } from './output';
import { describeMatch } from '../engine/first-run';
import type { DefinitionPreview } from '../sync-config/preview';

const SIDE_NAMES = ['left', 'right'] as const;

/** What each previewed definition would do on the sample read, and the calls it cost. */
export function printPreviews(output: Io, previews: DefinitionPreview[]): void {
  const { c } = output;
  for (const { name, preview, error } of previews) {
    if (preview === undefined) {
      output.err(output.ce.red(`  preview "${name}": not previewed: ${error ?? 'no answer'}`));
      continue;
    }
    const changes = preview.updates.reduce((sum, update) => sum + update.changes.length, 0);
    const parts = [
      `${plural(preview.read, 'record')} read`,
      `${String(preview.creates.length)} to create`,
      `${String(preview.updates.length)} to update (${plural(changes, 'field change')})`,
      plural(preview.conflicts.length, 'conflict'),
      `${String(preview.skipped.length)} skipped`,
      `${String(preview.unchanged)} unchanged`,
    ];
    if (preview.events.length > 0) parts.push(`${plural(preview.events.length, 'event')} to send`);
    if (preview.adds.length + preview.removes.length > 0)
      parts.push(
        `${String(preview.adds.length)} to add, ${String(preview.removes.length)} to remove`,
      );
    const calls = preview.apiCalls.left + preview.apiCalls.right;
    output.out(c.bold(`  preview "${name}": ${parts.join(', ')}; ${plural(calls, 'API call')}`));
    for (const side of SIDE_NAMES) {
      const counts = preview.matching[side];
      if (counts.considered === 0) continue;
      const line = `      match: ${describeMatch(side, counts)}`;
      output.out(counts.linked + counts.matched === 0 ? c.yellow(line) : line);
    }
  }
}

export function printProblems(output: Io, config: LoadedConfig): number {
  const problems = allProblems(config);
  for (const problem of problems) output.err(output.ce.red(formatProblem(problem)));
  return problems.length;
}

/** Both stages of validation; the problems are printed. Returns the server check when valid. */
export async function validated(
  output: Io,
  dir: string,
  options: GlobalOptions,
  offline = false,
): Promise<{ config: LoadedConfig; check?: ServerCheck; problems: number }> {
  const config = loadConfigDir(dir);
  if (config.files.length === 0) output.err(`no sync definitions (*.yaml) in ${config.syncsDir}`);
  // The files' own problems first, then those the server finds in the files that have none.
  const local = printProblems(output, config);
  if (offline) return { config, problems: local };
  const before = new Set(allProblems(config));
  const check = await checkAgainstServer(config, clientOf(options), (done, total, label) => {
    output.progress.update(done, total, label === '' ? 'checked' : `checking ${label}`);
  });
  output.progress.clear();
  const found = allProblems(config).filter((problem) => !before.has(problem));
  for (const problem of found) output.err(output.ce.red(formatProblem(problem)));
  return { config, check, problems: local + found.length };
}

export function printPlan(output: Io, plan: Plan): void {
  const { c } = output;
  for (const create of plan.creates) {
    const s = create.spec;
    const arrow = { left_to_right: '→', right_to_left: '←', bidirectional: '↔' }[
      s.direction ?? 'left_to_right'
    ];
    output.out(c.green(`+ create "${create.name}" (${create.file})`));
    output.out(
      `      ${s.left.connection} ${s.left.object} ${arrow} ${s.right.connection} ${s.right.object}, ${plural(s.mappings.length, 'mapping')}`,
    );
  }
  for (const update of plan.updates) {
    output.out(c.yellow(`~ change "${update.name}" (${update.file})`));
    for (const d of update.differences) {
      const label = d.label === undefined ? '' : ` (${d.label})`;
      const value =
        d.op === '~'
          ? `${formatValue(d.from)} → ${formatValue(d.to)}`
          : d.op === '+'
            ? formatValue(d.to)
            : `was ${formatValue(d.from)}`;
      const line = `      ${d.op} ${d.path}${label}: ${value}`;
      output.out(d.op === '+' ? c.green(line) : d.op === '-' ? c.red(line) : c.yellow(line));
    }
  }
  for (const removal of plan.removals) output.out(c.red(`- remove "${removal.name}"`));
  for (const other of plan.unmanaged)
    output.out(
      c.dim(
        `  "${other.name}": on the server, not managed by these files (kept; --prune removes it)`,
      ),
    );
  if (hasChanges(plan)) {
    output.out('');
    output.out(
      `Plan: ${String(plan.creates.length)} to create, ${String(plan.updates.length)} to change, ${String(plan.removals.length)} to remove.`,
    );
  } else {
    output.out(
      `No changes: the server matches these files (${plural(plan.unchanged.length, 'sync')}).`,
    );
  }
}

export async function planned(
  output: Io,
  dir: string | undefined,
  options: GlobalOptions,
  prune: boolean,
): Promise<{ plan?: Plan; check?: ServerCheck; code: number }> {
  const { config, check, problems } = await validated(output, configDir(dir), options);
  if (problems > 0 || check === undefined) {
    output.err(output.ce.red(`${plural(problems, 'problem')}: nothing planned.`));
    return { code: EXIT_PROBLEMS };
  }
  const plan = await makePlan(config, clientOf(options), check, { prune });
  if (plan.problems.length > 0) {
    for (const problem of plan.problems) output.err(output.ce.red(formatProblem(problem)));
    return { code: EXIT_PROBLEMS };
  }
  printPlan(output, plan);
  return { plan, check, code: EXIT_OK };
}
