/**
 * `npm start`: validate the configuration, start Syncline, stop gracefully on SIGTERM / SIGINT.
 */
import { Logger } from '@nestjs/common';
import { startSyncline, type RunningSyncline } from './app';
import { ConfigError, loadConfig } from './config/environment';

/** A shutdown that takes longer than this is cut short (exit 1), so an orchestrator never waits forever. */
const SHUTDOWN_DEADLINE_MS = 10_000;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
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
  // The sandbox's summary is for a person at a terminal: plain lines, after the log lines.
  if (running.sandbox !== undefined && config.logLevel !== 'silent')
    process.stdout.write(running.sandbox.summary());

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
