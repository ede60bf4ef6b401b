import { describeConnectorContract } from '../sdk/testing/contract-kit';
import { createSalesforceHarness } from './harness';

describeConnectorContract('salesforce', createSalesforceHarness);
