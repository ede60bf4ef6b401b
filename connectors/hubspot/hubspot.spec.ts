import { describeConnectorContract } from '../sdk/testing/contract-kit';
import { hubspotConnector } from './connector';
import { createHubSpotAudienceHarness, createHubSpotHarness } from './harness';
import { createHubSpotWebhookHarness } from './webhooks/harness';

const make = () => createHubSpotHarness();
describeConnectorContract('hubspot', hubspotConnector, {
  source: make,
  records: make,
  webhooks: createHubSpotWebhookHarness,
  audiences: createHubSpotAudienceHarness,
});

const onePerPage = () => createHubSpotHarness().then((harness) => ({ ...harness, pageSize: 1 }));
describeConnectorContract('hubspot, one-record pages', hubspotConnector, {
  source: onePerPage,
  records: onePerPage,
  webhooks: createHubSpotWebhookHarness,
  audiences: createHubSpotAudienceHarness,
});
