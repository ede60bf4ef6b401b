/** `syncline validate`: the files' problems, then the server's (connections, fields). */
import type { Command } from 'commander';
import { EXIT_PROBLEMS, configDir, plural, type CommandContext } from '../context';
import { validated } from '../config-steps';

export function validateCommand(
  program: Command,
  { output, globals, setCode }: CommandContext,
): void {
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
}
