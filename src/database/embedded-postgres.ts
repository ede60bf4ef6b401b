/**
 * The embedded database: PGlite (Postgres compiled to WASM) served on a loopback port by
 * pglite-socket, so the same `pg` driver path runs with or without a Postgres server.
 * All connections share one Postgres session: transactions run one at a time.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** postgres:// URL of the loopback server. */
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * Frontend messages of an extended-protocol exchange that leave it open until Sync: Parse, Bind,
 * Describe, Execute, Close, Flush. Anything else (Sync, a simple Query, a start-up message…) ends
 * or stands outside an exchange.
 */
const EXCHANGE_MESSAGES = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((c) => c.charCodeAt(0)));

/**
 * `db` as pglite-socket sees it, with one more rule: a connection's extended-protocol exchange
 * (Parse, Bind, Describe, Execute… up to Sync) runs without another connection's messages in
 * between. pglite-socket queues single messages and keeps a connection's messages together only
 * inside a transaction block; between two connections' exchanges the session's unnamed statement
 * would be replaced under the first one ("bind message supplies 1 parameters, but prepared
 * statement "" requires 2", or worse, another query's parameters). It reads `isInTransaction()`
 * to decide, so an open exchange answers true.
 */
function oneExchangeAtATime(db: PGlite): PGlite {
  let exchangeOpen = false;
  return new Proxy(db, {
    get(target, property) {
      switch (property) {
        case 'isInTransaction':
          return () => exchangeOpen || target.isInTransaction();
        case 'execProtocolRawStream':
          return (message: Uint8Array, ...rest: unknown[]) => {
            exchangeOpen = message.length > 0 && EXCHANGE_MESSAGES.has(message[0]);
            return (target.execProtocolRawStream as (...args: unknown[]) => unknown)(
              message,
              ...rest,
            );
          };
        case 'exec':
          // pglite-socket rolls back a disconnected connection's transaction with exec().
          return (...args: unknown[]) => {
            exchangeOpen = false;
            return (target.exec as (...a: unknown[]) => unknown)(...args);
          };
        default: {
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
        }
      }
    },
  });
}

/**
 * Opens (or creates) the data folder and serves it on 127.0.0.1 with an ephemeral port.
 * `maxConnections` must cover the pool size plus any listener.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  maxConnections: number;
}): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = await PGlite.create({ dataDir });
  const server = new PGLiteSocketServer({
    db: oneExchangeAtATime(db),
    host: '127.0.0.1',
    port: 0,
    maxConnections: options.maxConnections,
  });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  let stopped = false;
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
    },
  };
}
