/**
 * The memory connector's registry entry. Connections name a shared in-process backend (`store`),
 * so the sandbox and tests can seed it while the engine reads it through the connector.
 */
import type { ConnectorDefinition } from '../sdk/contract';
import { MemoryBackend } from './backend';
import { createMemoryConnector } from './connector';

const backends = new Map<string, MemoryBackend>();

/** The process-wide backend of that name, created on first use. */
export function memoryBackendNamed(name: string): MemoryBackend {
  let backend = backends.get(name);
  if (backend === undefined) {
    backend = new MemoryBackend({ idPrefix: `${name}-` });
    backends.set(name, backend);
  }
  return backend;
}

function numberSetting(settings: Record<string, unknown>, name: string): number | undefined {
  const value = settings[name];
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

export const memoryConnectorDefinition: ConnectorDefinition = {
  kind: 'memory',
  label: 'In-memory (tests, benchmarks, sandbox)',
  settings: [
    {
      name: 'store',
      label: 'Store name',
      type: 'string',
      required: false,
      description: 'Connections with the same store name share the same records.',
      default: 'default',
    },
    { name: 'pageSize', label: 'Page size', type: 'number', required: false, default: 1000 },
    { name: 'maxBatch', label: 'Write batch size', type: 'number', required: false, default: 100 },
  ],
  secrets: [],
  create(settings, _secrets, context) {
    const store =
      typeof settings['store'] === 'string' && settings['store'] !== ''
        ? settings['store']
        : 'default';
    return createMemoryConnector(memoryBackendNamed(store), {
      clock: context.clock,
      logger: context.logger,
      signal: context.signal,
      pageSize: numberSetting(settings, 'pageSize'),
      maxBatch: numberSetting(settings, 'maxBatch'),
    });
  },
};
