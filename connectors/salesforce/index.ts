export {
  DEFAULT_API_VERSION,
  DEFAULT_LOGIN_URL,
  createSalesforceConnector,
  salesforceConnector,
  type SalesforceConnector,
  type SalesforceConnectorOptions,
} from './connector';

export { SYNCED_OBJECTS, fieldTypeOf } from './discover';
export * from './limits';
