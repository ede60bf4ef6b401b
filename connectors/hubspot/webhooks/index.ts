/**
 * HubSpot's webhooks capability: a request is HubSpot's when its v3 signature holds under the
 * connection's OAuth app client secret and its timestamp is within five minutes; a batch routes to
 * the objects its events are about, for the connection's portal.
 */
import type { Clock, WebhookCapability, WebhookRequest, WebhookVerdict } from '../../sdk/contract';
import { changesOf, parseHubSpotEvents } from './events';
import {
  HUBSPOT_SIGNATURE_HEADER,
  HUBSPOT_TIMESTAMP_HEADER,
  timestampProblem,
  type TimestampProblem,
  verifyHubSpotV3,
} from './signature';

const TIMESTAMP_REASONS: Record<TimestampProblem, string> = {
  missing: 'no X-HubSpot-Request-Timestamp header',
  malformed: 'X-HubSpot-Request-Timestamp is not a time in milliseconds',
  stale: 'X-HubSpot-Request-Timestamp is more than 5 minutes old',
  future: 'X-HubSpot-Request-Timestamp is more than 5 minutes in the future',
};

export function hubspotWebhooks(options: {
  clientSecret: string | undefined;
  portalId: number | undefined;
  clock: Clock;
}): WebhookCapability {
  return {
    verify(request: WebhookRequest): WebhookVerdict {
      const signature = request.headers[HUBSPOT_SIGNATURE_HEADER];
      if (signature === undefined || signature === '')
        return { ok: false, reason: 'no X-HubSpot-Signature-v3 header' };
      const timestamp = request.headers[HUBSPOT_TIMESTAMP_HEADER];
      const problem = timestampProblem(timestamp, options.clock.now().getTime());
      if (problem !== undefined || timestamp === undefined)
        return {
          ok: false,
          reason: TIMESTAMP_REASONS[problem ?? 'missing'],
          stale: problem === 'stale' || problem === 'future',
        };
      if (options.clientSecret === undefined)
        return {
          ok: false,
          reason: 'the connection has no clientSecret to verify signatures with',
          // Said in the log only: the caller need not learn whether a secret is configured.
          secretMissing: true,
        };
      const signed = { method: request.method, uri: request.url, body: request.body, timestamp };
      return verifyHubSpotV3(options.clientSecret, signed, signature)
        ? { ok: true }
        : { ok: false, reason: "the signature does not match the connection's client secret" };
    },
    route(body) {
      const parsed = parseHubSpotEvents(body);
      if ('problems' in parsed) return parsed;
      return { events: parsed.events.length, changes: changesOf(parsed.events, options.portalId) };
    },
  };
}
