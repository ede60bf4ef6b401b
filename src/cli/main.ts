/**
 * `syncline`: sync definitions as code (validate, plan, apply, export a config folder) and a look
 * at what runs (runs, logs, trigger), through Syncline's REST API.
 *
 * Exit codes: 0 fine (no problems; plan without --detailed-exitcode also with changes), 1 problems
 * found (invalid files, failed applies, failed runs), 2 usage or connection errors (bad options,
 * server unreachable, key refused, unknown sync, apply without confirmation).
 */
import { createInterface } from 'node:readline/promises';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { applyPlan } from '../sync-config/apply';
import { ApiError, ConnectionError, SynclineClient } from '../sync-config/client';
import { exportConfig } from '../sync-config/export';
import { allProblems, loadConfigDir, type LoadedConfig } from '../sync-config/load';
import { hasChanges, makePlan, type Plan } from '../sync-config/plan';
import { checkAgainstServer, type ServerCheck } from '../sync-config/server-check';
import type { RunDto } from '../runs/runs.dto';
import { SYNCLINE_VERSION } from '../version';
import { colors, formatProblem, formatValue, ProgressLine, type Colors } from './output';

export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

/** An error that ends the command with a message and an exit code. */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

interface GlobalOptions {
  url: string;
  apiKey?: string;
}

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  c: Colors;
  ce: Colors;
  progress: ProgressLine;
}

function io(): Io {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    c: colors(process.stdout),
    ce: colors(process.stderr),
    progress: new ProgressLine(process.stderr),
  };
}

function clientOf(options: GlobalOptions): SynclineClient {
  return new SynclineClient(options.url, options.apiKey);
}

function configDir(dir: string | undefined): string {
  const path = resolve(dir ?? 'config');
  if (!existsSync(path) || !statSync(path).isDirectory())
    throw new CliError(`no config folder at ${path}`, EXIT_USAGE);
  return path;
}

function printProblems(output: Io, config: LoadedConfig): number {
  const problems = allProblems(config);
  for (const problem of problems) output.err(output.ce.red(formatProblem(problem)));
  return problems.length;
}

/** Both stages of validation; the problems are printed. Returns the server check when valid. */
async function validated(
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

function plural(n: number, word: string): string {
  return `${String(n)} ${word}${n === 1 ? '' : 's'}`;
}

function printPlan(output: Io, plan: Plan): void {
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

async function planned(
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

async function confirm(output: Io, question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} Only "yes" is accepted: `);
    return answer.trim() === 'yes';
  } finally {
    rl.close();
    output.err('');
  }
}

interface SyncRef {
  id: string;
  name: string;
}

async function findSync(client: SynclineClient, nameOrId: string): Promise<SyncRef> {
  const syncs = await client.all<SyncRef>('/api/v1/syncs');
  const found = syncs.find((s) => s.name === nameOrId) ?? syncs.find((s) => s.id === nameOrId);
  if (found === undefined) {
    const names = syncs.map((s) => `"${s.name}"`).join(', ');
    throw new CliError(
      `no sync named "${nameOrId}" (${names === '' ? 'the server has none' : `the server has ${names}`})`,
      EXIT_USAGE,
    );
  }
  return found;
}

/** A run as the API returns it. */
type RunBody = RunDto;

function countersOf(run: RunBody): string {
  const k = run.counters;
  return `read ${String(k.read)}, created ${String(k.created)}, updated ${String(k.updated)}, unchanged ${String(k.unchanged)}, conflicts ${String(k.conflicts)}, failed ${String(k.failed)}`;
}

function durationOf(run: RunBody): string {
  if (run.finishedAt === null) return '-';
  const ms = Date.parse(run.finishedAt) - Date.parse(run.startedAt);
  return ms < 1000 ? `${String(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

function table(rows: string[][]): string[] {
  const widths =
    rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** `30s`, `10m`, `2h`, `1d` before now, or an ISO date. */
function parseSince(value: string): string {
  const relative = /^(\d+)\s*([smhd])$/.exec(value);
  if (relative !== null) {
    const unit = { s: 1, m: 60, h: 3600, d: 86400 }[relative[2] as 's'];
    return new Date(Date.now() - Number(relative[1]) * unit * 1000).toISOString();
  }
  const date = Date.parse(value);
  if (Number.isNaN(date))
    throw new InvalidArgumentError('expected a duration (30s, 10m, 2h, 1d) or an ISO date');
  return new Date(date).toISOString();
}

function positiveInt(max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max)
      throw new InvalidArgumentError(`expected a whole number from 1 to ${String(max)}`);
    return n;
  };
}

export function buildProgram(setCode: (code: number) => void): Command {
  const program = new Command('syncline');
  const output = io();
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();

  program
    .description('Sync definitions as code, and a look at runs, through the Syncline REST API.')
    .version(SYNCLINE_VERSION)
    .addOption(
      new Option('--url <url>', 'Syncline server')
        .env('SYNCLINE_URL')
        .default('http://127.0.0.1:3000'),
    )
    .addOption(new Option('--api-key <key>', 'API key (sl_…)').env('SYNCLINE_API_KEY'))
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  program
    .command('validate')
    .description(
      'Check the files: the schema, the engine rules, then against the server (connections, fields)',
    )
    .argument('[dir]', 'config folder (its syncs/*.yaml)', 'config')
    .option('--offline', 'check the files only, without the server')
    .action(async (dir: string, options: { offline?: boolean }) => {
      const { config, problems } = await validated(
        output,
        configDir(dir),
        globals(),
        options.offline === true,
      );
      if (problems > 0) {
        output.err(output.ce.red(`${plural(problems, 'problem')} in ${config.dir}`));
        setCode(EXIT_PROBLEMS);
        return;
      }
      output.out(
        `${plural(config.files.length, 'sync definition')} valid${options.offline === true ? ' (offline: not checked against the server)' : ''}.`,
      );
    });

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

  program
    .command('trigger')
    .description('Start a run of a sync now')
    .argument('<name>', 'the sync (name or id)')
    .option('--wait', 'wait for the run to end; exit 1 unless it succeeded')
    .action(async (name: string, options: { wait?: boolean }) => {
      const client = clientOf(globals());
      const sync = await findSync(client, name);
      let run: RunBody;
      try {
        run = await client.request<RunBody>('POST', `/api/v1/syncs/${sync.id}/runs`);
      } catch (error) {
        if (error instanceof ApiError && error.code === 'run_in_progress') {
          output.err(`"${sync.name}": ${error.message}`);
          setCode(EXIT_PROBLEMS);
          return;
        }
        throw error;
      }
      output.out(`run ${run.id} of "${sync.name}" ${run.status}`);
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

  return program;
}

/** Runs the CLI on `argv` (process.argv form); resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  // `syncline logs … | head`: the reader went away; stop quietly, as other tools do.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT_OK);
    throw error;
  });
  let code = EXIT_OK;
  const program = buildProgram((value) => {
    code = value;
  });
  try {
    await program.parseAsync(argv);
    return code;
  } catch (error) {
    new ProgressLine(process.stderr).clear();
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.help' ||
        error.code === 'commander.version'
        ? EXIT_OK
        : EXIT_USAGE;
    }
    const message = (text: string): void => {
      process.stderr.write(`syncline: ${text}\n`);
    };
    if (error instanceof CliError) {
      message(error.message);
      return error.exitCode;
    }
    if (error instanceof ConnectionError) {
      message(error.message);
      return EXIT_USAGE;
    }
    if (error instanceof ApiError) {
      if (error.status === 401) {
        message(
          `the server refused the API key (401 ${error.code}); give one with --api-key or SYNCLINE_API_KEY`,
        );
        return EXIT_USAGE;
      }
      if (error.status === 403) {
        message(`the API key may not do this (403 ${error.code}): ${error.message}`);
        return EXIT_USAGE;
      }
      const details = error.details.map((d) => `\n  ${d.path}: ${d.problem}`).join('');
      message(`${error.message} (${String(error.status)} ${error.code})${details}`);
      return EXIT_PROBLEMS;
    }
    if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
      // A file system error (EACCES, ENOENT…) on the config folder.
      message(error.message);
      return EXIT_USAGE;
    }
    throw error;
  }
}

if (require.main === module) {
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
