export { DEFAULT_API_VERSION, DEFAULT_LOGIN_URL, salesforceConnector } from './connector';
export type { SalesforceConnector } from './connector';
export { SYNCED_OBJECTS, fieldTypeOf } from './discover';
export * from './limits';
