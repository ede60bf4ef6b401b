/**
 * Starting and stopping Syncline: shared by main.ts and the end-to-end tests, so the tests boot
 * exactly what `npm start` boots.
 */
import 'reflect-metadata';
import type { ConnectorDefinition } from '../connectors/sdk/contract';
import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger as PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { AppModule, type DatabaseTarget } from './app.module';
import { apiDocument, setApiPrefix } from './api-document';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { StorableInputPipe } from './common/storable-input.pipe';
import { createValidationPipe } from './common/validation.pipe';
import type { AppConfig } from './config/environment';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './database/embedded-postgres';
import { setExpressionBounds } from './engine/expressions';
import { QuietStartLogger } from './logging/nest-logger';
import { applyBootConfig, repoConfigDir, type BootConfigOutcome } from './sandbox/boot-config';
import {
  sandboxWanted,
  startSandbox,
  warnAboutSandboxSyncs,
  type Sandbox,
} from './sandbox/sandbox';
import { resolveSecretKey } from './secrets/secret-key';

/** Largest JSON body accepted; larger ones get 413. */
const BODY_LIMIT = '1mb';

export interface RunningSyncline {
  app: INestApplication;
  /** http://host:port of the listening server. */
  url: string;
  database: DatabaseTarget;
  /** The sandbox's emulators and connections, when this start runs the sandbox. */
  sandbox: Sandbox | undefined;
  close(): Promise<void>;
}

/** Embedded connections: the pool plus room for a listener and the migration runner. */
const EMBEDDED_POOL_SIZE = 4;
/** How often the embedded database is checkpointed (see startSyncline). */
const EMBEDDED_CHECKPOINT_MS = 5 * 60_000;

function setUpOpenApi(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, apiDocument(app), { jsonDocumentUrl: 'api/docs-json' });
}

/** The URL this process calls itself at: the loopback address when it listens on all of them. */
function loopbackUrl(url: string, config: AppConfig): string {
  const any = config.host === '0.0.0.0' || config.host === '::';
  return any
    ? url.replace(`//${config.host === '::' ? '[::]' : config.host}:`, '//127.0.0.1:')
    : url;
}

/** What an embedding process adds to a server (tests: connectors of their own). */
export interface SynclineExtensions {
  /** Connectors besides those of connectors/index.ts. */
  connectors?: readonly ConnectorDefinition[];
}

/** The database: the server of SYNCLINE_DATABASE_URL, or the embedded one opened here. */
async function openDatabase(config: AppConfig): Promise<{
  embedded: EmbeddedPostgres | undefined;
  database: DatabaseTarget;
  embeddedOpenMs: number | undefined;
}> {
  if (config.databaseUrl !== undefined)
    return {
      embedded: undefined,
      database: { url: config.databaseUrl, embedded: false },
      embeddedOpenMs: undefined,
    };
  const opening = Date.now();
  const embedded = await startEmbeddedPostgres({
    dataDir: config.dataDir,
    maxConnections: EMBEDDED_POOL_SIZE + 2,
  });
  return {
    embedded,
    database: { url: embedded.url, embedded: true },
    embeddedOpenMs: Date.now() - opening,
  };
}

/** Errors in the API's shape, validated bodies, the API under its prefix (not health, metrics, console). */
function configureHttp(app: NestExpressApplication): void {
  app.useGlobalFilters(new HttpExceptionFilter());
  app.useGlobalPipes(new StorableInputPipe(), createValidationPipe());
  app.useBodyParser('json', { limit: BODY_LIMIT });
  setApiPrefix(app);
}

/**
 * PGlite runs no checkpointer of its own: without checkpoints, a start after a crash replays
 * every change since the database opened. One every 5 minutes bounds that replay.
 */
function startCheckpoints(app: NestExpressApplication): NodeJS.Timeout {
  const checkpoints = setInterval(() => {
    app
      .get(DataSource)
      .query('CHECKPOINT')
      .catch((error: unknown) => {
        new Logger('Database').warn(
          `Checkpoint failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
  }, EMBEDDED_CHECKPOINT_MS);
  checkpoints.unref();
  return checkpoints;
}

export async function startSyncline(
  config: AppConfig,
  extensions: SynclineExtensions = {},
): Promise<RunningSyncline> {
  setExpressionBounds({ timeoutMs: config.expressionTimeoutMs });
  // Before anything starts: a missing key in production stops here.
  const secretKey = resolveSecretKey({
    configured: config.secretKey,
    production: config.env === 'production',
    dataDir: config.dataDir,
  });
  const { embedded, database, embeddedOpenMs } = await openDatabase(config);
  const effective: AppConfig = embedded
    ? { ...config, databasePoolSize: Math.min(config.databasePoolSize, EMBEDDED_POOL_SIZE) }
    : config;

  let app: NestExpressApplication | undefined;
  let sandbox: Sandbox | undefined;
  try {
    app = await NestFactory.create<NestExpressApplication>(
      AppModule.forRoot(effective, database, secretKey.key, extensions.connectors),
      {
        bufferLogs: true,
        // The exact bytes of JSON bodies (req.rawBody): webhook signatures cover them.
        rawBody: true,
      },
    );
    app.useLogger(new QuietStartLogger(app.get(PinoLogger)));
    if (embeddedOpenMs !== undefined)
      new Logger('Database').log(
        `Embedded database opened in ${(embeddedOpenMs / 1000).toFixed(1)} s (${config.dataDir})`,
      );
    if (secretKey.origin !== 'environment') {
      new Logger('Secrets').warn(
        `SYNCLINE_SECRET_KEY is not set: credentials are encrypted with the key ${secretKey.origin === 'generated' ? 'just generated into' : 'kept in'} ${secretKey.path ?? ''}. Set SYNCLINE_SECRET_KEY in production.`,
      );
    }
    configureHttp(app);
    // The sandbox's connections point at this start's emulators before the worker and the
    // scheduler start (on listen), so no run ever reads the previous start's URLs.
    const wanted = await sandboxWanted(app, config, database.embedded);
    new Logger('Sandbox').log(`Sandbox ${wanted.on ? 'on' : 'off'}: ${wanted.reason}`);
    if (wanted.on) sandbox = await startSandbox(app, config);
    else await warnAboutSandboxSyncs(app, wanted.reason);
    setUpOpenApi(app);
    await app.listen(config.port, config.host);
  } catch (error) {
    await app?.close().catch(() => undefined);
    await sandbox?.close().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    throw error;
  }

  const started = app;
  const checkpoints = embedded === undefined ? undefined : startCheckpoints(started);
  const address = started.getHttpServer().address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      clearInterval(checkpoints);
      // The worker finishes its current page against the emulators before they close.
      await started.close();
      await sandbox?.close();
      await embedded?.stop();
    })();
    return closing;
  };

  try {
    const configDir = config.configDir ?? (sandbox === undefined ? undefined : repoConfigDir());
    let applied: BootConfigOutcome | undefined;
    if (configDir !== undefined)
      applied = await applyBootConfig(started, {
        dir: configDir,
        url: loopbackUrl(url, config),
        force: config.configForce,
      });
    await sandbox?.ready({ url, config: applied });
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }

  return { app: started, url, database, sandbox, close };
}
