/**
 * A Syncline replica for the fault soak: the built app (`dist/src/main.js`, what `npm start` runs
 * once built) in a child process of its own, so that it can be killed with SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The built app: beside this file once built (dist/bench/soak), or in dist/ from the sources. */
const BUILT_BESIDE = join(__dirname, '..', '..', 'src', 'main.js');
const MAIN = existsSync(BUILT_BESIDE)
  ? BUILT_BESIDE
  : join(__dirname, '..', '..', 'dist', 'src', 'main.js');

export interface Replica {
  child: ChildProcess;
  url: string;
  pid: number;
  alive(): boolean;
  output(): string;
  waitUntilReady(timeoutMs: number): Promise<void>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** The environment of a test replica: fast ticks and leases, on a server database or a data folder. */
export function replicaEnv(options: {
  adminKey: string;
  database: { url: string } | { dataDir: string };
}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    SYNCLINE_ADMIN_KEY: options.adminKey,
    SYNCLINE_SECRET_KEY: randomBytes(32).toString('base64'),
    SYNCLINE_ALLOW_SANDBOX: 'true',
    SYNCLINE_SANDBOX: 'off',
    SYNCLINE_TICK_SECONDS: '1',
    SYNCLINE_RUN_LEASE_SECONDS: '4',
    SYNCLINE_RUN_RETRY_SECONDS: '1',
    // The soak and the takeover tests fill empty sides: no first run waits for a confirmation.
    SYNCLINE_FIRST_RUN_MAX_UNMATCHED_PERCENT: '100',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    ...('url' in options.database
      ? { DATABASE_URL: options.database.url }
      : { SYNCLINE_DATA_DIR: options.database.dataDir }),
  };
}

export async function startReplica(env: Record<string, string>): Promise<Replica> {
  const port = await freePort();
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => name !== 'NODE_OPTIONS' && name !== 'DATABASE_URL',
    ),
  );
  const child = spawn(process.execPath, [MAIN], {
    env: { ...inherited, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    // The tail is enough to say why a replica stopped.
    output = (output + chunk.toString()).slice(-200_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  const url = `http://127.0.0.1:${String(port)}`;
  return {
    child,
    url,
    pid: child.pid ?? 0,
    alive,
    output: () => output,
    async waitUntilReady(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (!alive()) throw new Error(`a replica exited before it was ready:\n${output}`);
        const ready = await fetch(`${url}/health/ready`).then(
          (res) => res.status === 200,
          () => false,
        );
        if (ready) return;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error(`a replica was not ready within ${String(timeoutMs)} ms:\n${output}`);
    },
    async kill(signal) {
      if (!alive()) return;
      child.kill(signal);
      await exited;
    },
  };
}
