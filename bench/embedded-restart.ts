/**
 * How long the embedded database takes to restart with a large sync history (issue "The admin on
 * call": 38.6 s with 73 MB after 22 minutes of sandbox activity). Starts Syncline as `npm start`
 * does (embedded database, sandbox on, activity off) in a temporary data folder, writes N MB of sync
 * log rows (`--mb`, default 100) through SQL, then stops, and starts it again and prints how long the
 * restart took to ready. Twice: once after a clean stop (SIGTERM, Ctrl-C), once after the process was
 * killed (SIGKILL, a crash, a container stopped without grace) with the history just written.
 *
 *   npm run bench:restart -- [--mb 100]
 */
import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { startSyncline } from '../src/app';
import { loadConfig } from '../src/config/environment';

function sizeOf(dir: string): string {
  const size = (path: string): string =>
    execFileSync('du', ['-sh', path], { encoding: 'utf8' }).split('\t')[0] ?? '?';
  return `${size(dir)} (write-ahead log ${size(join(dir, 'pg_wal'))})`;
}

function configFor(dataDir: string): ReturnType<typeof loadConfig> {
  return loadConfig({
    SYNCLINE_DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    SYNCLINE_SANDBOX: 'on',
    SYNCLINE_SANDBOX_ACTIVITY: 'off',
    SYNCLINE_WORKER_CONCURRENCY: '0',
  });
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

/** Starts on a new data folder and writes `megabytes` of sync log; returns the running instance. */
async function startAndFill(
  dataDir: string,
  megabytes: number,
  checkpoint = false,
): Promise<Awaited<ReturnType<typeof startSyncline>>> {
  let started = performance.now();
  const running = await startSyncline(configFor(dataDir));
  console.log(`  first start (new database, migrations, sandbox): ${seconds(started)}`);
  const db = running.app.get(DataSource);
  const syncs = await db.query<Array<{ id: string }>>('SELECT "id" FROM "syncs" LIMIT 1');
  const sync = syncs.at(0);
  if (sync === undefined) throw new Error('no sandbox sync');
  started = performance.now();
  // About 400 bytes per line with its indexes; 10,000 lines per run.
  const lines = Math.round((megabytes * 1024 * 1024) / 400);
  const runs = Math.max(1, Math.ceil(lines / 10_000));
  await db.query(
    `INSERT INTO "sync_runs" ("id", "sync_id", "trigger", "status", "started_at", "finished_at")
     SELECT gen_random_uuid(), $1, 'schedule', 'succeeded', now() - (g || ' minutes')::interval, now()
       FROM generate_series(1, $2) AS g`,
    [sync.id, runs],
  );
  // In commits of 500 lines, as runs write their pages (one commit per page).
  for (let from = 0; from < lines; from += 500) {
    await db.query(
      `INSERT INTO "record_events" ("run_id", "sync_id", "side", "left_id", "right_id", "action", "fields", "message", "at")
       SELECT r."id", $1, 'right', 'L' || g, 'R' || g, 'updated', ARRAY['firstname', 'lastname', 'email'],
              NULL, r."started_at"
         FROM generate_series($2::int, $3::int) AS g
         JOIN (SELECT "id", "started_at", row_number() OVER () - 1 AS n FROM "sync_runs" WHERE "sync_id" = $1) r
           ON r.n = g / 10000`,
      [sync.id, from, Math.min(lines, from + 500) - 1],
    );
  }
  console.log(
    `  wrote ${lines.toLocaleString('en-US')} sync log lines in ${runs} runs: ${seconds(started)}`,
  );
  if (checkpoint) {
    started = performance.now();
    await db.query('CHECKPOINT');
    console.log(`  checkpoint (Syncline makes one every 5 minutes): ${seconds(started)}`);
  }
  return running;
}

async function restart(dataDir: string): Promise<number> {
  const started = performance.now();
  const running = await startSyncline(configFor(dataDir));
  const ms = performance.now() - started;
  await running.close();
  return ms;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      mb: { type: 'string', default: '100' },
      fill: { type: 'string' },
      checkpoint: { type: 'boolean', default: false },
    },
  });
  const megabytes = Number(values.mb);
  if (values.fill !== undefined) {
    // The child of the killed case: fill, say so, and wait for the SIGKILL.
    await startAndFill(values.fill, megabytes, values.checkpoint);
    process.send?.('filled');
    await new Promise(() => undefined);
    return;
  }
  const results: string[] = [];
  for (const stop of ['clean stop', 'killed', 'killed after a checkpoint'] as const) {
    const dataDir = mkdtempSync(join(tmpdir(), 'syncline-restart-'));
    try {
      console.log(`${stop}:`);
      if (stop === 'clean stop') {
        const running = await startAndFill(dataDir, megabytes);
        const started = performance.now();
        await running.close();
        console.log(`  clean stop: ${seconds(started)}`);
      } else {
        const args = ['--mb', String(megabytes), '--fill', dataDir];
        if (stop === 'killed after a checkpoint') args.push('--checkpoint');
        const child = fork(__filename, args, {
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
        await new Promise<void>((resolve, reject) => {
          child.once('message', () => {
            resolve();
          });
          child.once('exit', (code) => {
            reject(new Error(`the filling process exited with ${String(code)}`));
          });
        });
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
        console.log('  killed (SIGKILL) right after writing');
      }
      const ms = await restart(dataDir);
      const line = `  restart to ready after ${stop}, data folder ${sizeOf(dataDir)}: ${(ms / 1000).toFixed(1)} s (target: under 5 s)`;
      console.log(line);
      results.push(line.trim());
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  console.log(['', ...results].join('\n'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
