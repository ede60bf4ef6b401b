import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Module, RequestMethod, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '../config/environment';
import { redactSecrets } from './redact';

export const REQUEST_ID_HEADER = 'x-request-id';

/** A request id per request: the caller's X-Request-Id when it sent a sane one, else a new UUID. */
function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers[REQUEST_ID_HEADER];
  const id = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/** JSON logs through pino (readable in development), secrets redacted. */
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
          pinoHttp: {
            level: config.logLevel,
            genReqId: requestId,
            redact: {
              paths: [
                'req.headers.authorization',
                'req.headers.cookie',
                // A logged webhook signature could be replayed within its 5 minutes.
                'req.headers["x-hubspot-signature"]',
                'req.headers["x-hubspot-signature-v3"]',
              ],
              censor: '[redacted]',
            },
            formatters: { log: (object) => redactSecrets(object) as Record<string, unknown> },
            customLogLevel: (_req, res, error) =>
              error !== undefined || res.statusCode >= 500
                ? 'error'
                : res.statusCode >= 400
                  ? 'warn'
                  : 'info',
            autoLogging: { ignore: (req) => req.url === '/health/live' || req.url === '/metrics' },
            transport:
              config.env === 'development'
                ? {
                    target: 'pino-pretty',
                    options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' },
                  }
                : undefined,
          },
        }),
      ],
    };
  }
}
