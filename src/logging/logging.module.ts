import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Module, RequestMethod, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '../config/environment';
import { connectorRegistry } from '../../connectors';
import { redactSecrets } from './redact';

export const REQUEST_ID_HEADER = 'x-request-id';

/** A request id per request: the caller's X-Request-Id when it sent a sane one, else a new UUID. */
function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers[REQUEST_ID_HEADER];
  const id = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/** The vendor headers every connector of the registry asks to keep out of logs, lower case. */
export function redactedVendorHeaders(): string[] {
  return [
    ...new Set(
      connectorRegistry.flatMap((definition) =>
        definition.redactHeaders.map((name) => name.toLowerCase()),
      ),
    ),
  ].sort();
}

/** Whether logs are for a person (one readable line each) rather than a log pipeline (JSON). */
export function readableLogs(config: Pick<AppConfig, 'logFormat' | 'env'>): boolean {
  if (config.logFormat !== 'auto') return config.logFormat === 'pretty';
  return config.env === 'development' || process.stdout.isTTY;
}

/**
 * JSON logs through pino, secrets redacted; one readable line per entry for a person at a terminal
 * (LOG_FORMAT), where requests that only read and succeeded (the console polls every second) are
 * logged at debug level instead of info.
 */
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig): DynamicModule {
    const readable = readableLogs(config);
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
                // Each connector's own (a logged webhook signature could be replayed for minutes).
                ...redactedVendorHeaders().map((name) => `req.headers[${JSON.stringify(name)}]`),
              ],
              censor: '[redacted]',
            },
            formatters: { log: (object) => redactSecrets(object) as Record<string, unknown> },
            customLogLevel: (req, res, error) =>
              error !== undefined || res.statusCode >= 500
                ? 'error'
                : res.statusCode >= 400
                  ? 'warn'
                  : readable && (req.method === 'GET' || req.method === 'HEAD')
                    ? 'debug'
                    : 'info',
            autoLogging: { ignore: (req) => req.url === '/health/live' || req.url === '/metrics' },
            ...(readable
              ? {
                  customSuccessMessage: (req: IncomingMessage, res: ServerResponse) =>
                    `${req.method ?? ''} ${req.url ?? ''} ${String(res.statusCode)}`,
                  customErrorMessage: (req: IncomingMessage, res: ServerResponse) =>
                    `${req.method ?? ''} ${req.url ?? ''} ${String(res.statusCode)}`,
                  transport: {
                    target: 'pino-pretty',
                    options: {
                      singleLine: true,
                      translateTime: 'SYS:HH:MM:ss',
                      ignore: 'pid,hostname,context,req,res,responseTime',
                      messageFormat: '{if context}[{context}] {end}{msg}',
                    },
                  },
                }
              : {}),
          },
        }),
      ],
    };
  }
}
