/** The HubSpot connector's registry entry. */
import type { ConnectorDefinition } from '../sdk/contract';
import { DEFAULT_BASE_URL, createHubSpotConnector } from './connector';
import { HUBSPOT_OBJECTS } from './discover';

function text(record: Record<string, unknown>, name: string): string | undefined {
  const value = record[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function positive(record: Record<string, unknown>, name: string): number | undefined {
  const value = record[name];
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

export const hubspotConnectorDefinition: ConnectorDefinition = {
  kind: 'hubspot',
  label: 'HubSpot CRM',
  settings: [
    {
      name: 'baseUrl',
      label: 'API base URL',
      type: 'url',
      required: false,
      default: DEFAULT_BASE_URL,
      description: 'Change only to point at a HubSpot emulator or a proxy.',
    },
    {
      name: 'intervalMax',
      label: 'Calls per 10 seconds',
      type: 'number',
      required: false,
      default: 190,
      description:
        "Your portal's burst limit (100 on Free/Starter, 190 on Professional/Enterprise).",
    },
    {
      name: 'dailyLimit',
      label: 'Calls per day',
      type: 'number',
      required: false,
      default: 625_000,
    },
    {
      name: 'portalId',
      label: 'Portal (hub) id',
      type: 'number',
      required: false,
      description: 'Your HubSpot account (hub) id; routes inbound webhooks to this connection.',
    },
  ],
  // Either a private-app access token, or an OAuth app's refresh token with its client id and secret.
  secrets: ['accessToken', 'refreshToken', 'clientId', 'clientSecret'],
  staticObjects: [...HUBSPOT_OBJECTS],
  // HubSpot's API hosts (api.hubapi.com, and regional ones such as api-eu1.hubapi.com).
  allowedHosts: ['api.hubapi.com', '*.hubapi.com'],
  create(settings, secrets, context) {
    return createHubSpotConnector({
      baseUrl: text(settings, 'baseUrl') ?? DEFAULT_BASE_URL,
      intervalMax: positive(settings, 'intervalMax'),
      daily: positive(settings, 'dailyLimit'),
      credentials: {
        accessToken: text(secrets, 'accessToken'),
        refreshToken: text(secrets, 'refreshToken'),
        clientId: text(secrets, 'clientId'),
        clientSecret: text(secrets, 'clientSecret'),
      },
      clock: context.clock,
      logger: context.logger,
      signal: context.signal,
    });
  },
};
