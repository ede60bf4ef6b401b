export {
  MemoryBackend,
  type MemoryBackendOptions,
  type MemoryCallCounts,
  type SeedRecord,
} from './backend';
export {
  createMemoryConnector,
  memoryBackendNamed,
  memoryConnector,
  memoryConsent,
  memoryLimits,
  type MemoryConnectorOptions,
} from './connector';

export {
  MemoryFaults,
  type FaultKind,
  type FaultOptions,
  type MemoryOperation,
  type RecordRejection,
} from './faults';
