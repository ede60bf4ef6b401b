/**
 * The OpenAPI document of the REST API: served at /api/docs-json by a running server, and built
 * offline (no database, no listening port) by `npm run api-types`, which writes the API's types
 * for the console and the CLI from it.
 */
import { RequestMethod, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { API_KEY_FORMAT } from './auth/api-key-secret';
import { refineOpenApi } from './common/openapi';
import { loadConfig } from './config/environment';
import { CONSOLE_ROUTES } from './console/console.routes';
import { SYNCLINE_VERSION } from './version';

export const API_PREFIX = 'api/v1';

/** The API under its prefix; health, metrics and the console outside it. */
export function setApiPrefix(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
      // The web console (static files at /console, `/` redirects there): see src/console.
      ...CONSOLE_ROUTES,
    ],
  });
}

/** The document of `app`'s routes (after setApiPrefix). */
export function apiDocument(app: INestApplication): OpenAPIObject {
  return refineOpenApi(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Syncline API')
        .setDescription(
          'Two-way sync between CRMs, marketing automation and ad platforms: connections, syncs, runs, sync logs.',
        )
        .setVersion(SYNCLINE_VERSION)
        .addBearerAuth({
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'sl_<prefix>_<secret>',
          description: `An API key, sent as \`Authorization: Bearer sl_…\`: ${API_KEY_FORMAT}`,
        })
        .build(),
    ),
  );
}

/**
 * The document without a server: the app's modules in Nest's preview mode, which reads the routes
 * and instantiates no provider (no database connection, no worker).
 */
export async function offlineApiDocument(): Promise<OpenAPIObject> {
  const config = loadConfig({
    SYNCLINE_SECRET_KEY: Buffer.alloc(32).toString('base64'),
    SYNCLINE_SANDBOX: 'off',
  });
  const app = await NestFactory.create(
    AppModule.forRoot(config, { url: 'postgres://offline', embedded: false }, Buffer.alloc(32)),
    { preview: true, logger: false },
  );
  try {
    setApiPrefix(app);
    return apiDocument(app);
  } finally {
    await app.close();
  }
}
