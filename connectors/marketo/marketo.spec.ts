import { describeConnectorContract } from '../sdk/testing/contract-kit';
import { marketoConnector } from './connector';
import { createMarketoAudienceHarness, createMarketoHarness } from './harness';

const make = () => createMarketoHarness();
describeConnectorContract('marketo', marketoConnector, {
  source: make,
  records: make,
  audiences: () => createMarketoAudienceHarness(),
});

const onePerPage = () => createMarketoHarness().then((harness) => ({ ...harness, pageSize: 1 }));
describeConnectorContract('marketo, one-record pages', marketoConnector, {
  source: onePerPage,
  records: onePerPage,
  audiences: () => createMarketoAudienceHarness(),
});

describeConnectorContract('marketo, a program status as the audience', marketoConnector, {
  source: make,
  records: make,
  audiences: () => createMarketoAudienceHarness('program'),
});
