export { marketoConnector, type MarketoConnector } from './connector';
