/**
 * `npm start`: validate the configuration, start Syncline, stop gracefully on SIGTERM / SIGINT.
 */
import { Logger } from '@nestjs/common';
import { startSyncline, type RunningSyncline } from './app';
import { ApiKeysService } from './auth/api-keys.service';
import { ConfigError, loadConfig } from './config/environment';

/** A shutdown that takes longer than this is cut short (exit 1), so an orchestrator never waits forever. */
const SHUTDOWN_DEADLINE_MS = 10_000;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** The admin key created at the first start, in plain text beside the URLs: shown this once. */
function adminKeyBanner(url: string, key: string): string {
  return [
    '',
    `Syncline is up at ${url} (console: ${url}/console/, API docs: ${url}/api/docs).`,
    `  Admin key  ${key}`,
    '             created now and shown this once: keep it safe (Authorization: Bearer <key>).',
    '',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }

  let running: RunningSyncline;
  try {
    running = await startSyncline(config);
  } catch (error) {
    fail(`Syncline could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  new Logger('Syncline').log(
    `Listening on ${running.url}; API docs at ${running.url}/api/docs; database: ${
      running.database.embedded ? `embedded, in ${config.dataDir}` : 'server from DATABASE_URL'
    }`,
  );
  // The sandbox's summary is for a person at a terminal: plain lines, after the log lines. It
  // shows an admin key created at this start; without it, a short banner does (never a log line).
  const keys = running.app.get(ApiKeysService);
  if (
    running.sandbox !== undefined &&
    (config.logLevel !== 'silent' || keys.adminKeyAtStart === 'created')
  )
    process.stdout.write(running.sandbox.summary());
  const createdKey = keys.takeCreatedAdminKey();
  if (createdKey !== undefined) process.stdout.write(adminKeyBanner(running.url, createdKey));

  const stop = (signal: NodeJS.Signals): void => {
    setTimeout(
      () => fail(`Shutdown after ${signal} took over ${SHUTDOWN_DEADLINE_MS} ms; exiting`),
      SHUTDOWN_DEADLINE_MS,
    ).unref();
    running.close().then(
      () => process.exit(0),
      (error: unknown) =>
        fail(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  fail(
    `Syncline stopped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
});
