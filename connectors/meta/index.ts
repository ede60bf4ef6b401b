export { metaConnector, META, type MetaConnector } from './connector';
