/**
 * Runs Syncline as a user does (`npm start`) in a child process, and watches its output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../bench/soak/replica';

export { freePort };

const ROOT = join(__dirname, '..', '..');

export interface SynclineProcess {
  child: ChildProcess;
  url: string;
  /** Everything printed so far, stdout and stderr. */
  output(): string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  /** Polls /health/ready until it answers 200; resolves with the time it took. */
  waitUntilReady(timeoutMs: number): Promise<number>;
  /**
   * Sends `signal` to the Syncline process (npm's child, whose pid its logs carry) and resolves with
   * the exit code `npm start` ended with and how long that took. npm itself dies of a signal sent to
   * it without waiting for its child, so a supervisor signals the app, as this does.
   */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | string; ms: number }>;
}

export function startSynclineProcess(
  env: Record<string, string | undefined>,
  port: number,
): SynclineProcess {
  const started = Date.now();
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    ...env,
  };
  // Unset what the caller set to undefined, and jest's own NODE_OPTIONS (VM modules).
  const unset = new Set([
    ...Object.keys(env).filter((key) => env[key] === undefined),
    'NODE_OPTIONS',
  ]);
  const cleanEnv = Object.fromEntries(Object.entries(childEnv).filter(([key]) => !unset.has(key)));
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    env: cleanEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve(code ?? signal ?? 'unknown');
    });
  });
  const url = `http://127.0.0.1:${port}`;
  let exitCode: number | string | undefined;
  void exited.then((code) => {
    exitCode = code;
  });

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
      const appPid = /"pid":(\d+)/.exec(output)?.[1];
      // SIGKILL (clean-up) takes the whole process group: npm, its shell and the app.
      if (signal === 'SIGKILL' && child.pid !== undefined) process.kill(-child.pid, signal);
      else if (appPid === undefined) child.kill(signal);
      else process.kill(Number(appPid), signal);
      const code = await exited;
      return { code, ms: Date.now() - sent };
    },
  };
}
