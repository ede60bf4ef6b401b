export {
  MemoryBackend,
  type MemoryBackendOptions,
  type MemoryCallCounts,
  type SeedRecord,
} from './backend';
export { createMemoryConnector, memoryLimits, type MemoryConnectorOptions } from './connector';
export { memoryBackendNamed, memoryConnectorDefinition } from './definition';
export {
  MemoryFaults,
  type FaultKind,
  type FaultOptions,
  type MemoryOperation,
  type RecordRejection,
} from './faults';
