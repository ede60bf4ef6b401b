export {
  createHubSpotConnector,
  DEFAULT_BASE_URL,
  type HubSpotConnector,
  type HubSpotConnectorOptions,
} from './connector';
export { hubspotConnectorDefinition } from './definition';
export { hubspotLimits, HUBSPOT } from './limits';
export {
  startHubSpotEmulator,
  type HubSpotEmulator,
  type HubSpotEmulatorOptions,
} from './emulator';
