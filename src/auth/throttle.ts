/**
 * Rate limiting of the API per API key (SYNCLINE_API_RATE_LIMIT requests per minute), answered
 * with 429, Retry-After and the one error shape. Health (public routes) is never throttled.
 */
import { createHash } from 'node:crypto';
import { HttpException, HttpStatus, Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { PUBLIC_ROUTE, type AuthenticatedRequest } from './auth.decorators';
import { apiError } from '../common/api-error';

export const RATE_LIMIT_WINDOW_MS = 60_000;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

@Injectable()
export class ApiKeyThrottlerGuard extends ThrottlerGuard {
  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(
      this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, [
        context.getHandler(),
        context.getClass(),
      ]) === true,
    );
  }

  /**
   * A hash of the bearer token (one per key), whether or not the key guard ran first; without a
   * token, the client's address.
   */
  protected override getTracker(req: AuthenticatedRequest): Promise<string> {
    const header = req.headers.authorization;
    const token = header === undefined ? undefined : /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    if (token !== undefined) return Promise.resolve(`token:${sha256(token)}`);
    return Promise.resolve(`ip:${req.ip ?? 'unknown'}`);
  }

  /** One budget per key across all routes (the default keys by route too). */
  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    name: string,
  ): string {
    return sha256(`${name}-${tracker}`);
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new HttpException(
      apiError(
        'rate_limited',
        `Too many requests: at most ${detail.limit} per minute per API key; retry in ${detail.timeToBlockExpire} s`,
      ),
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
