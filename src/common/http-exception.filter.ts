import {
  ArgumentsHost,
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Response } from 'express';
import { apiError, type ApiErrorBody } from './api-error';

const CODE_BY_STATUS: Partial<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
  503: 'unavailable',
};

function isApiErrorBody(body: unknown): body is ApiErrorBody {
  return (
    typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'object'
  );
}

/** Every error leaves in the one shape; anything unexpected is a logged 500 without internals. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
      if (isApiErrorBody(body)) {
        res.status(status).json(body);
        return;
      }
      const message =
        typeof body === 'object' && 'message' in body && typeof body.message === 'string'
          ? body.message
          : exception.message;
      res.status(status).json(apiError(CODE_BY_STATUS[status] ?? `http_${status}`, message));
      return;
    }
    // Body parser errors carry a status of their own (Nest turns bad JSON into a 400 itself).
    const status = (exception as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = (exception as { type?: unknown }).type;
      const code =
        type === 'entity.too.large'
          ? 'payload_too_large'
          : (CODE_BY_STATUS[status] ?? `http_${status}`);
      res.status(status).json(apiError(code, (exception as Error).message));
      return;
    }
    this.logger.error({ err: exception }, 'Unhandled error');
    res
      .status(HttpStatus.INTERNAL_SERVER_ERROR)
      .json(
        apiError(
          'internal_error',
          'Something went wrong on our side; the request id in the logs tells which.',
        ),
      );
  }
}
