/**
 * `syncline`: sync definitions as code (validate, plan, apply, export a config folder) and a look
 * at what runs (runs, logs, trigger), through Syncline's REST API. One file per command in
 * `commands/`.
 *
 * Exit codes: 0 fine (no problems; plan without --detailed-exitcode also with changes), 1 problems
 * found (invalid files, failed applies, failed runs), 2 usage or connection errors (bad options,
 * server unreachable, key refused, unknown sync, apply without confirmation).
 */
import { Command, CommanderError, Option } from 'commander';
import { ApiError, ConnectionError } from '../sync-config/client';
import { SYNCLINE_VERSION } from '../version';
import { applyCommand } from './commands/apply';
import { exportCommand } from './commands/export';
import { logsCommand } from './commands/logs';
import { planCommand } from './commands/plan';
import { runsCommand } from './commands/runs';
import { triggerCommand } from './commands/trigger';
import { validateCommand } from './commands/validate';
import { CliError, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, type GlobalOptions, io } from './context';
import { ProgressLine } from './output';

export { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from './context';

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

  const context = { output, globals, setCode };
  for (const command of [
    validateCommand,
    planCommand,
    applyCommand,
    exportCommand,
    runsCommand,
    logsCommand,
    triggerCommand,
  ])
    command(program, context);
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
