import { Injectable } from '@nestjs/common';
import { ApiKeyThrottlerGuard } from '../auth/throttle';

/**
 * The API's rate limit on a public route. The global guard skips public routes (health must never
 * be limited), but webhooks are public only because a signature replaces the key: they share the
 * API's budget, keyed by the caller's address when it sends no key.
 */
@Injectable()
export class WebhookThrottlerGuard extends ApiKeyThrottlerGuard {
  protected override shouldSkip(): Promise<boolean> {
    return Promise.resolve(false);
  }
}
