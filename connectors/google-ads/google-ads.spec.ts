import { describeConnectorContract } from '../sdk/testing/contract-kit';
import { googleAdsConnector } from './connector';
import { createGoogleAdsAudienceHarness, createGoogleAdsEventHarness } from './harness';

describeConnectorContract('google-ads', googleAdsConnector, {
  events: () => createGoogleAdsEventHarness(),
  audiences: () => createGoogleAdsAudienceHarness(),
});
