/**
 * The explicit registry of connectors: a new vendor is one folder plus one line here.
 */
import { hubspotConnectorDefinition } from './hubspot';
import { memoryConnectorDefinition } from './memory';
import { salesforceConnectorDefinition } from './salesforce';
import type { ConnectorDefinition } from './sdk/contract';

export const connectorRegistry: ConnectorDefinition[] = [
  memoryConnectorDefinition,
  hubspotConnectorDefinition,
  salesforceConnectorDefinition,
];

/** The definition of a connector kind, or undefined when none is registered under that name. */
export function findConnector(kind: string): ConnectorDefinition | undefined {
  return connectorRegistry.find((definition) => definition.kind === kind);
}
