import { describeConnectorContract } from '../sdk/testing/contract-kit';
import { linkedinConnector } from './connector';
import { createLinkedInAudienceHarness, createLinkedInEventHarness } from './harness';

describeConnectorContract('linkedin', linkedinConnector, {
  events: () => createLinkedInEventHarness(),
  audiences: () => createLinkedInAudienceHarness(),
});
