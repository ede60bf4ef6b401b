import { describeConnectorContract } from '../sdk/testing/contract-kit';
import { metaConnector } from './connector';
import { createMetaAudienceHarness, createMetaEventHarness } from './harness';

describeConnectorContract('meta', metaConnector, {
  events: () => createMetaEventHarness(),
  audiences: () => createMetaAudienceHarness(),
});
