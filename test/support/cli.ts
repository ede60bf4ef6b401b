/** The `syncline` CLI run as a user runs it, against a test app, for its output and exit code. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { TestApp } from './app';

export const ROOT = join(__dirname, '..', '..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in `cwd` (asynchronously: the app answering it runs in this process). */
export function runCli(
  app: TestApp,
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<CliResult> {
  const { NODE_OPTIONS: _jestVmModules, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'syncline.js'), ...args], {
      cwd,
      env: {
        ...inherited,
        SYNCLINE_URL: app.url,
        SYNCLINE_API_KEY: app.adminKey,
        NO_COLOR: '1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}
