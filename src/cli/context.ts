/**
 * What every command of the `syncline` CLI shares: exit codes, the output, the client of the
 * server, finding a sync, and the formatting of runs.
 */
import { createInterface } from 'node:readline/promises';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { SynclineClient } from '../sync-config/client';
import type { RunDto } from '../runs/runs.dto';
import { colors, ProgressLine, type Colors } from './output';

export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

/** An error that ends the command with a message and an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export interface GlobalOptions {
  url: string;
  apiKey?: string;
}

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  c: Colors;
  ce: Colors;
  progress: ProgressLine;
}

export function io(): Io {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    c: colors(process.stdout),
    ce: colors(process.stderr),
    progress: new ProgressLine(process.stderr),
  };
}

export function clientOf(options: GlobalOptions): SynclineClient {
  return new SynclineClient(options.url, options.apiKey);
}

export function configDir(dir: string | undefined): string {
  const path = resolve(dir ?? 'config');
  if (!existsSync(path) || !statSync(path).isDirectory())
    throw new CliError(`no config folder at ${path}`, EXIT_USAGE);
  return path;
}

export function plural(n: number, word: string): string {
  return `${String(n)} ${word}${n === 1 ? '' : 's'}`;
}

export async function confirm(output: Io, question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} Only "yes" is accepted: `);
    return answer.trim() === 'yes';
  } finally {
    rl.close();
    output.err('');
  }
}

export interface SyncRef {
  id: string;
  name: string;
}

export async function findSync(client: SynclineClient, nameOrId: string): Promise<SyncRef> {
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
export type RunBody = RunDto;

export function countersOf(run: RunBody): string {
  const k = run.counters;
  return `read ${String(k.read)}, created ${String(k.created)}, updated ${String(k.updated)}, unchanged ${String(k.unchanged)}, conflicts ${String(k.conflicts)}, failed ${String(k.failed)}`;
}

export function durationOf(run: RunBody): string {
  if (run.finishedAt === null) return '-';
  const ms = Date.parse(run.finishedAt) - Date.parse(run.startedAt);
  return ms < 1000 ? `${String(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

export function table(rows: string[][]): string[] {
  const widths =
    rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

export const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** `30s`, `10m`, `2h`, `1d` before now, or an ISO date. */
export function parseSince(value: string): string {
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

export function positiveInt(max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max)
      throw new InvalidArgumentError(`expected a whole number from 1 to ${String(max)}`);
    return n;
  };
}

/** What a command is given: the output, the global options, and how to set the exit code. */
export interface CommandContext {
  output: Io;
  globals: () => GlobalOptions;
  setCode: (code: number) => void;
}
