/**
 * The explicit registry of connectors: a new vendor is one folder plus one line here.
 */
import { googleAdsConnector } from './google-ads';
import { hubspotConnector } from './hubspot';
import { linkedinConnector } from './linkedin';
import { mailchimpConnector } from './mailchimp';
import { marketoConnector } from './marketo';
import { memoryConnector } from './memory';
import { metaConnector } from './meta';
import { salesforceConnector } from './salesforce';
import type { ConnectorDefinition } from './sdk/contract';

export const connectorRegistry: ConnectorDefinition[] = [
  memoryConnector,
  hubspotConnector,
  salesforceConnector,
  marketoConnector,
  mailchimpConnector,
  metaConnector,
  linkedinConnector,
  googleAdsConnector,
];

/** The definition of a connector kind, or undefined when none is registered under that name. */
export function findConnector(kind: string): ConnectorDefinition | undefined {
  return connectorRegistry.find((definition) => definition.kind === kind);
}
