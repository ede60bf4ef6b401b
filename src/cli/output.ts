/**
 * What the CLI prints: colours (on a terminal only, and not with NO_COLOR), a progress line on
 * stderr for long operations (on a terminal only), problems as `file:line: path: problem`.
 */
import type { FileProblem } from '../sync-config/problems';

export interface Colors {
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

function ansi(open: number, close: number, on: boolean): (text: string) => string {
  return (text) => (on ? `\u001b[${String(open)}m${text}\u001b[${String(close)}m` : text);
}

export function colors(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): Colors {
  const on = stream.isTTY && (env['NO_COLOR'] ?? '') === '' && env['TERM'] !== 'dumb';
  return {
    red: ansi(31, 39, on),
    green: ansi(32, 39, on),
    yellow: ansi(33, 39, on),
    bold: ansi(1, 22, on),
    dim: ansi(2, 22, on),
  };
}

/** A one-line progress bar on stderr, redrawn in place; nothing when stderr is not a terminal. */
export class ProgressLine {
  private shown = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  get enabled(): boolean {
    return this.stream.isTTY;
  }

  update(done: number, total: number, label: string): void {
    if (!this.enabled) return;
    const width = 24;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const columns = this.stream.columns > 0 ? this.stream.columns : 80;
    const line = `${bar} ${String(done)}/${String(total)} ${label}`.slice(0, columns - 1);
    this.stream.write(`\r\u001b[2K${line}`);
    this.shown = true;
  }

  /** A line of free text in place of the bar (e.g. a run's counters). */
  text(line: string): void {
    if (!this.enabled) return;
    const columns = this.stream.columns > 0 ? this.stream.columns : 80;
    this.stream.write(`\r\u001b[2K${line.slice(0, columns - 1)}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stream.write('\r\u001b[2K');
    this.shown = false;
  }
}

export function formatProblem(problem: FileProblem): string {
  const where =
    problem.file === ''
      ? ''
      : problem.line === undefined
        ? `${problem.file}: `
        : `${problem.file}:${String(problem.line)}: `;
  const path = problem.path === '' ? '' : `${problem.path}: `;
  return `${where}${path}${problem.problem}`;
}

/** A value in a plan line: JSON, short. */
export function formatValue(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}
