/**
 * Boots the real app in this process on a database of its own (see database.ts), on an ephemeral
 * port, exactly as `npm start` does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSyncline, type RunningSyncline } from '../../src/app';
import { loadConfig } from '../../src/config/environment';
import { createTestDatabase, type TestDatabase } from './database';

export interface TestApp {
  running: RunningSyncline;
  url: string;
  stop(): Promise<void>;
}

export async function startTestApp(env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  const usesServer = process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== '';
  let database: TestDatabase | undefined;
  let dataDir: string | undefined;
  if (usesServer) {
    database = await createTestDatabase();
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'syncline-app-'));
  }
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    ...(database ? { DATABASE_URL: database.url } : { SYNCLINE_DATA_DIR: dataDir }),
    ...env,
  });
  const running = await startSyncline(config);
  return {
    running,
    url: running.url,
    async stop() {
      await running.close();
      await database?.drop();
      if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
