/**
 * The bench's own database: a fresh one on DATABASE_URL's server, else on the local Postgres if it
 * answers, else an embedded Postgres in a temporary folder. Dropped at the end either way.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { createDataSource } from '../src/database/data-source';
import type { SyncDefinition } from '../src/engine/definition';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';

export const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  url: string;
  embedded: boolean;
  /** Where it runs, for the report (no credentials). */
  description: string;
  drop(): Promise<void>;
}

async function reachable(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function onServer(serverUrl: string): Promise<BenchDatabase> {
  const name = `syncline_bench_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  let version: string;
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    const rows = await admin.query<{ server_version: string }>('SHOW server_version');
    version = rows.rows[0]?.server_version ?? '';
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    embedded: false,
    description: `Postgres ${version} at ${url.host}, database ${name}`,
    async drop() {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export async function createBenchDatabase(): Promise<BenchDatabase> {
  const configured = process.env.DATABASE_URL;
  if (configured !== undefined && configured !== '') return onServer(configured);
  if (await reachable(LOCAL_POSTGRES)) return onServer(LOCAL_POSTGRES);
  const dataDir = mkdtempSync(join(tmpdir(), 'syncline-bench-'));
  const embedded = await startEmbeddedPostgres({ dataDir, maxConnections: 8 });
  return {
    url: embedded.url,
    embedded: true,
    description: `embedded Postgres (PGlite) in ${dataDir}`,
    async drop() {
      await embedded.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The sync's row and its two connections' (the tables the engine's rows point at). */
export async function createSyncRow(
  dataSource: ReturnType<typeof createDataSource>,
  sync: SyncDefinition,
): Promise<void> {
  const left = randomUUID();
  const right = randomUUID();
  await dataSource.query(
    `INSERT INTO "connections" ("id", "name", "kind") VALUES ($1, $3, 'memory'), ($2, $4, 'memory')`,
    [left, right, `bench left ${sync.id}`, `bench right ${sync.id}`],
  );
  await dataSource.query(
    `INSERT INTO "syncs" ("id", "name", "left_connection_id", "right_connection_id", "definition")
     VALUES ($1, $2, $3, $4, $5::jsonb)`,
    [sync.id, `bench ${sync.id}`, left, right, JSON.stringify(sync)],
  );
}
