export { DEFAULT_BASE_URL, hubspotConnector, type HubSpotConnector } from './connector';
