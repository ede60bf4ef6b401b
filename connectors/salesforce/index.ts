export {
  DEFAULT_API_VERSION,
  DEFAULT_LOGIN_URL,
  createSalesforceConnector,
  type SalesforceConnector,
  type SalesforceConnectorOptions,
} from './connector';
export { salesforceConnectorDefinition } from './definition';
export { SYNCED_OBJECTS, fieldTypeOf } from './discover';
export * from './limits';
