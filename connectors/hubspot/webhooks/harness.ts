/**
 * The webhook harness of the contract kit for HubSpot: requests signed as HubSpot's documentation
 * says (v3: base64 HMAC-SHA256 of method, URI, body and timestamp under the app's client secret),
 * computed here apart from the connector's own code.
 */
import { createHmac } from 'node:crypto';
import { FakeClock } from '../../sdk/clock';
import type { WebhookHarness } from '../../sdk/testing/contract-kit';
import { openForTest } from '../../sdk/testing/open';
import { hubspotConnector } from '../connector';

const SECRET = 'contract-kit-client-secret';
const PORTAL = 62515;
const URL = 'https://syncline.example.com/api/v1/webhooks/4c1b2f0e-8a65-4a0f-9a36-0d5c4c1f7e21';

export function createHubSpotWebhookHarness(): Promise<WebhookHarness> {
  const clock = new FakeClock({ start: new Date('2026-11-01T12:00:00.000Z') });
  const connector = openForTest(hubspotConnector, {
    settings: { baseUrl: 'http://127.0.0.1:9', portalId: PORTAL },
    secrets: { accessToken: 'pat-unused', clientSecret: SECRET },
    clock,
  });
  return Promise.resolve({
    connector,
    object: 'contacts',
    maxAgeMs: 5 * 60 * 1000,
    payload: (object, ids) =>
      JSON.stringify(
        ids.map((id, index) => ({
          eventId: index + 1,
          portalId: PORTAL,
          subscriptionType: `${object === 'contacts' ? 'contact' : object}.propertyChange`,
          objectId: Number(id),
          propertyName: 'firstname',
          propertyValue: 'Ann',
        })),
      ),
    signed: (body, ageMs = 0) => {
      const timestamp = String(clock.now().getTime() - ageMs);
      const signature = createHmac('sha256', SECRET)
        .update(`POST${URL}${body}${timestamp}`)
        .digest('base64');
      return {
        method: 'POST',
        url: URL,
        headers: {
          'content-type': 'application/json',
          'x-hubspot-signature-v3': signature,
          'x-hubspot-request-timestamp': timestamp,
        },
        body: Buffer.from(body),
      };
    },
    malformed: JSON.stringify({ portalId: PORTAL }),
    close: () => Promise.resolve(),
  });
}
