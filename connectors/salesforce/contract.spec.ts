import { describeConnectorContract } from '../sdk/testing/contract-kit';
import { salesforceConnector } from './connector';
import { createSalesforceHarness, createSalesforceJobHarness } from './harness';

describeConnectorContract('salesforce', salesforceConnector, {
  source: createSalesforceHarness,
  records: createSalesforceHarness,
  jobs: createSalesforceJobHarness,
});
