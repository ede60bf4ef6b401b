/**
 * The embedded server under concurrent clients: every parameterised query on every connection gets
 * its own parameters back, however the clients' protocol messages interleave.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

jest.setTimeout(120_000);

let dataDir: string;
let embedded: EmbeddedPostgres;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'syncline-embedded-'));
  embedded = await startEmbeddedPostgres({ dataDir, maxConnections: 6 });
});

afterAll(async () => {
  await embedded.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('keeps each connection’s parameterised queries apart', async () => {
  const clients = Array.from({ length: 4 }, () => new Client({ connectionString: embedded.url }));
  await Promise.all(clients.map((client) => client.connect()));
  try {
    const wrong: string[] = [];
    const stop = new AbortController();
    // A transaction holds the session; the others' messages queue up until it ends.
    const holder = new Client({ connectionString: embedded.url });
    await holder.connect();
    const holding = (async () => {
      while (!stop.signal.aborted) {
        await holder.query('BEGIN');
        await holder.query('SELECT $1::int AS held', [1]);
        await new Promise((resolve) => setTimeout(resolve, 5));
        await holder.query('COMMIT');
      }
      await holder.end();
    })();
    await Promise.all(
      clients.map(async (client, c) => {
        for (let i = 0; i < 150; i++) {
          // Different statements and parameter types on each connection.
          try {
            if (c % 2 === 0) {
              const { rows } = await client.query<{ n: number }>('SELECT $1::int + 1 AS n', [i]);
              if (rows[0]?.n !== i + 1) wrong.push(`client ${String(c)}: ${JSON.stringify(rows)}`);
            } else {
              const tag = `c${String(c)}-${String(i)}`;
              const { rows } = await client.query<{ t: string; at: Date }>(
                'SELECT $1::text AS t, $2::timestamptz AS at',
                [tag, new Date(0)],
              );
              if (rows[0]?.t !== tag) wrong.push(`client ${String(c)}: ${JSON.stringify(rows)}`);
            }
          } catch (error) {
            wrong.push(
              `client ${String(c)}: ${error instanceof Error ? error.message : String(error)}`,
            );
          }
        }
      }),
    );
    stop.abort();
    await holding;
    expect(wrong).toEqual([]);
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
});
