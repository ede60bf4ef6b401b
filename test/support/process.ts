/**
 * Runs Syncline as a user does (`npm start`) in a child process, and watches its output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface SynclineProcess {
  child: ChildProcess;
  url: string;
  /** Everything printed so far, stdout and stderr. */
  output(): string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  /** Polls /health/ready until it answers 200; resolves with the time it took. */
  waitUntilReady(timeoutMs: number): Promise<number>;
  /** Sends `signal` and resolves with the exit code and how long the exit took. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | string; ms: number }>;
}

export function startSynclineProcess(env: Record<string, string | undefined>, port: number): SynclineProcess {
  const started = Date.now();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
  // jest's own NODE_OPTIONS (VM modules) is not for the app.
  delete childEnv.NODE_OPTIONS;
  const child = spawn('npm', ['start', '--silent'], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  const url = `http://127.0.0.1:${port}`;
  let exitCode: number | string | undefined;
  void exited.then((code) => (exitCode = code));

  return {
    child,
    url,
    output: () => output,
    exited,
    async waitUntilReady(timeoutMs) {
      const deadline = started + timeoutMs;
      while (Date.now() < deadline) {
        if (exitCode !== undefined) throw new Error(`Syncline exited with ${exitCode}:\n${output}`);
        try {
          const res = await fetch(`${url}/health/ready`);
          if (res.status === 200) return Date.now() - started;
        } catch {
          // Not listening yet.
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`Not ready within ${timeoutMs} ms:\n${output}`);
    },
    async stop(signal = 'SIGTERM') {
      const sent = Date.now();
      child.kill(signal);
      const code = await exited;
      return { code, ms: Date.now() - sent };
    },
  };
}
