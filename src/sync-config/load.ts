/**
 * Loads a config folder's sync definitions and checks what can be checked without a server:
 * the YAML, the schema (unknown keys, enums, types), then the engine's own rules (the checks the
 * API makes before saving: transforms, fields mapped twice, JSONata, schedule, alerts).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { validateAlertSettings } from '../alerts/alert-settings';
import { type AnySyncDefinition, definitionFrom } from '../engine/definition';
import { validateSyncDefinition } from '../engine/validate';
import { scheduleProblems } from '../runs/schedule';
import type { FileProblem } from './problems';
import { schemaProblems } from './schema';
import { envReference, isMaskedWebhookUrl, type SyncSpec } from './spec';
import { formatPath, parsePath, parseYamlSource, type YamlSource } from './yaml-source';

export interface SyncFile {
  /** The file, relative to the config folder, e.g. `syncs/hubspot-contacts.yaml`. */
  file: string;
  /** Absolute path. */
  absolutePath: string;
  source: YamlSource;
  /** The definition, when the file passed the schema (environment references resolved). */
  spec?: SyncSpec;
  problems: FileProblem[];
}

export interface LoadedConfig {
  /** The config folder. */
  dir: string;
  /** Where the definitions are: `<dir>/syncs`, or `dir` itself when it has no `syncs` folder. */
  syncsDir: string;
  files: SyncFile[];
}

/** Every problem of every file, in file then line order. */
export function allProblems(config: LoadedConfig): FileProblem[] {
  return config.files.flatMap((file) =>
    [...file.problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
  );
}

export function syncsFolder(dir: string): string {
  const nested = join(dir, 'syncs');
  return existsSync(nested) && statSync(nested).isDirectory() ? nested : dir;
}

/** The engine's definition of a file's sync (connections are not part of it). */
export function engineDefinition(spec: SyncSpec): AnySyncDefinition {
  return definitionFrom('config', spec);
}

/** A problem at `path` (the API's or the engine's notation) of `file`, with its line. */
export function problemAt(file: SyncFile, path: string, problem: string): FileProblem {
  // The API names connections by id; files name them by name.
  const filePath = path.replace(/^(left|right)\.connectionId$/, '$1.connection');
  const line = file.source.lineOf(parsePath(filePath));
  return { file: file.file, ...(line === undefined ? {} : { line }), path: filePath, problem };
}

function checkFile(file: SyncFile, text: string, env: NodeJS.ProcessEnv): void {
  const { source } = file;
  for (const problem of source.problems) file.problems.push({ file: file.file, ...problem });
  if (source.problems.length > 0) return;
  if (text.trim() === '' || source.data === null || source.data === undefined) {
    file.problems.push({ file: file.file, line: 1, path: '', problem: 'the file is empty' });
    return;
  }
  const schema = schemaProblems(source.data);
  for (const problem of schema) {
    const line = source.lineOf(problem.path);
    file.problems.push({
      file: file.file,
      ...(line === undefined ? {} : { line }),
      path: formatPath(problem.path),
      problem: problem.problem,
    });
  }
  if (schema.length > 0) return;

  const spec = structuredClone(source.data) as SyncSpec;
  let checkAlerts = spec.alerts !== undefined && !isMaskedWebhookUrl(spec.alerts.webhookUrl);
  const variable = spec.alerts === undefined ? undefined : envReference(spec.alerts.webhookUrl);
  if (spec.alerts !== undefined && variable !== undefined) {
    const value = env[variable];
    if (value === undefined || value === '') {
      file.problems.push(
        problemAt(file, 'alerts.webhookUrl', `the environment variable ${variable} is not set`),
      );
      checkAlerts = false;
    } else spec.alerts.webhookUrl = value;
  }
  const local = [
    ...validateSyncDefinition(engineDefinition(spec)),
    ...(spec.schedule === undefined ? [] : scheduleProblems(spec.schedule)),
    // The server decides which addresses a webhook may reach (its operator's setting): here, the
    // shape only.
    ...(checkAlerts ? validateAlertSettings(spec.alerts, 'alerts', { allowPrivate: true }) : []),
  ];
  for (const problem of local) file.problems.push(problemAt(file, problem.path, problem.problem));
  file.spec = spec;
}

/**
 * Reads every `*.yaml` / `*.yml` of the folder's `syncs/` (or of the folder itself), in name
 * order, and checks each without a server. Throws when the folder cannot be read.
 */
export function loadConfigDir(dir: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const syncsDir = syncsFolder(dir);
  const names = readdirSync(syncsDir)
    .filter((name) => /\.ya?ml$/i.test(name))
    .sort();
  const files: SyncFile[] = [];
  const byName = new Map<string, SyncFile>();
  for (const name of names) {
    const absolutePath = join(syncsDir, name);
    if (!statSync(absolutePath).isFile()) continue;
    const text = readFileSync(absolutePath, 'utf8');
    const file: SyncFile = {
      file: relative(dir, absolutePath) || name,
      absolutePath,
      source: parseYamlSource(text),
      problems: [],
    };
    checkFile(file, text, env);
    if (file.spec !== undefined) {
      const first = byName.get(file.spec.name);
      if (first === undefined) byName.set(file.spec.name, file);
      else {
        file.problems.push(
          problemAt(
            file,
            'name',
            `the sync "${file.spec.name}" is defined in ${first.file} already`,
          ),
        );
      }
    }
    files.push(file);
  }
  return { dir, syncsDir, files };
}
