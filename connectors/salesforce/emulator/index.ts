export {
  SCHEMA,
  findField,
  findObject,
  type SfField,
  type SfFieldType,
  type SfObject,
} from './describe';
export {
  EmulatorFaults,
  type CallFaultKind,
  type CallFaultOptions,
  type RecordRejection,
} from './faults';
export { generateContacts } from './generator';
export {
  type EmulatorCounters,
  type SalesforceEmulator,
  type SalesforceEmulatorOptions,
  startSalesforceEmulator,
} from './server';
export { OrgStore, formatSfDatetime, type SfError, type SfRecord, type SfValue } from './store';
