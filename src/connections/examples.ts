/** Examples for the API's documentation, taken from the registry so that src names no vendor. */
import { connectorRegistry } from '../../connectors';

/** A vendor connector of the registry (the first that reads and takes webhooks), else the first. */
const example = connectorRegistry.find((definition) =>
  definition.capabilities.includes('webhooks'),
) ?? { kind: 'memory', label: 'In-memory', vendor: 'Memory' };

export const EXAMPLE_KIND = example.kind;
export const EXAMPLE_LABEL = example.label;
export const EXAMPLE_VENDOR = example.vendor;
export const EXAMPLE_CONNECTION_NAME = `${EXAMPLE_LABEL} production`;
