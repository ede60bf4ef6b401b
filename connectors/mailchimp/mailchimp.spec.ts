import { describeConnectorContract } from '../sdk/testing/contract-kit';
import { mailchimpConnector } from './connector';
import { createMailchimpAudienceHarness, createMailchimpHarness } from './harness';

const make = () => createMailchimpHarness();
describeConnectorContract('mailchimp', mailchimpConnector, {
  source: make,
  records: make,
  audiences: () => createMailchimpAudienceHarness(),
});

const onePerPage = () => createMailchimpHarness().then((harness) => ({ ...harness, pageSize: 1 }));
describeConnectorContract('mailchimp, one-member pages', mailchimpConnector, {
  source: onePerPage,
  records: onePerPage,
  audiences: () => createMailchimpAudienceHarness(),
});
