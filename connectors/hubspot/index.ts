export {
  createHubSpotConnector,
  DEFAULT_BASE_URL,
  hubspotConnector,
  type HubSpotConnector,
  type HubSpotConnectorOptions,
} from './connector';
export { hubspotLimits, HUBSPOT } from './limits';
