/**
 * Boots the real app in this process on a database of its own (see database.ts), on an ephemeral
 * port, exactly as `npm start` does.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateApiKey } from '../../src/auth/api-key-secret';
import { startSyncline, type RunningSyncline, type SynclineExtensions } from '../../src/app';
import { loadConfig } from '../../src/config/environment';
import { createTestDatabase, type TestDatabase } from './database';

export interface TestApp {
  running: RunningSyncline;
  url: string;
  /** An admin API key registered at start (SYNCLINE_ADMIN_KEY). */
  adminKey: string;
  /** fetch() against the app with `key` (default: the admin key) as the bearer token. */
  request(path: string, init?: RequestInit & { key?: string | null }): Promise<Response>;
  /** Stops the app and starts it again on the same database (a new port), as a redeploy does. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestApp(
  env: NodeJS.ProcessEnv = {},
  extensions: SynclineExtensions = {},
): Promise<TestApp> {
  const usesServer = process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== '';
  let database: TestDatabase | undefined;
  let dataDir: string | undefined;
  if (usesServer) {
    database = await createTestDatabase();
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'syncline-app-'));
  }
  const adminKey = generateApiKey().key;
  const config = loadConfig({
    SYNCLINE_ADMIN_KEY: adminKey,
    SYNCLINE_SECRET_KEY: randomBytes(32).toString('base64'),
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    // The tests bring their own emulators; the sandbox is tested by sandbox.e2e-spec.ts.
    SYNCLINE_SANDBOX: 'off',
    // Most tests fill an empty side on a first run, which the first-run guard would hold for a
    // confirmation: off here, on (the default, 50) in first-run.e2e-spec.ts and the process tests.
    SYNCLINE_FIRST_RUN_MAX_UNMATCHED_PERCENT: '100',
    ...(database ? { DATABASE_URL: database.url } : { SYNCLINE_DATA_DIR: dataDir }),
    ...env,
  });
  let running = await startSyncline(config, extensions);
  return {
    get running() {
      return running;
    },
    get url() {
      return running.url;
    },
    adminKey,
    request(path, init = {}) {
      const { key = adminKey, headers, ...rest } = init;
      const merged = new Headers(headers);
      if (key !== null) merged.set('authorization', `Bearer ${key}`);
      if (rest.body !== undefined && !merged.has('content-type'))
        merged.set('content-type', 'application/json');
      return fetch(`${running.url}${path}`, { ...rest, headers: merged });
    },
    async restart() {
      await running.close();
      running = await startSyncline(config, extensions);
    },
    async stop() {
      await running.close();
      await database?.drop();
      if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
