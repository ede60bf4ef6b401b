import { describeConnectorContract } from '../sdk/testing/contract-kit';
import { createHubSpotHarness } from './harness';

describeConnectorContract('hubspot', () => createHubSpotHarness());

describeConnectorContract('hubspot, one-record pages', () =>
  createHubSpotHarness().then((harness) => ({ ...harness, pageSize: 1 })),
);
