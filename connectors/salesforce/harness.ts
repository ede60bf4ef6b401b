/**
 * The Salesforce connector's contract harness: a fresh emulator and connector on one
 * auto-advancing fake clock (retry waits and Bulk polls take no real time), Contact as the test
 * object, keyed by the `External_Id__c` external-id field.
 */
import type { JobHarness } from '../sdk/testing/contract-kit';
import { FakeClock } from '../sdk/clock';
import type { ConnectorRecord, Fields } from '../sdk/contract';
import type {
  ContractFault,
  ContractHarness,
  ContractOperation,
} from '../sdk/testing/contract-kit';
import type { CallSettings } from '../sdk/contract';
import type { SecretsOf } from '../sdk/define';
import { openForTest } from '../sdk/testing/open';
import { type SalesforceConnector, salesforceConnector } from './connector';
import {
  type CallFaultKind,
  type SalesforceEmulator,
  type SalesforceEmulatorOptions,
  type SfRecord,
  startSalesforceEmulator,
} from './emulator';

export interface SalesforceHarness extends ContractHarness {
  connector: SalesforceConnector;
  emulator: SalesforceEmulator;
  clock: FakeClock;
}

const OBJECT = 'Contact';

/** A Contact as the connector reads it (the harness's key and text fields). */
export function contactRecord(record: SfRecord): ConnectorRecord {
  const value = (name: string): string | null => {
    const raw = record.values[name];
    return typeof raw === 'string' ? raw : null;
  };
  return {
    id: record.Id,
    updatedAt: new Date(record.SystemModstamp).toISOString(),
    fields: {
      External_Id__c: value('External_Id__c'),
      FirstName: value('FirstName'),
      LastName: value('LastName'),
      Email: value('Email'),
    },
  };
}

function faultKind(kind: ContractFault): CallFaultKind {
  switch (kind) {
    case 'rate_limited':
      return 'rate_limited';
    case 'server_error':
      return 'server_error';
    case 'auth_expired':
      return 'session_expired';
    case 'timeout':
      return 'timeout';
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

function endpointFor(operation: ContractOperation | undefined): RegExp | undefined {
  switch (operation) {
    case undefined:
      return undefined;
    case 'read':
    case 'lookup':
    case 'get':
      return /^GET \/query/;
    case 'write':
      return /composite\/sobjects|jobs\/ingest/;
    default: {
      const unreachable: never = operation;
      return unreachable;
    }
  }
}

/** An emulator plus a connector pointed at it (instance URL and login URL both the emulator's). */
export async function startSalesforcePair(
  options: {
    clock?: FakeClock;
    emulator?: SalesforceEmulatorOptions;
    /** Settings and secrets beside the emulator's, and call settings. */
    connector?: {
      settings?: Record<string, unknown>;
      secrets?: SecretsOf<(typeof salesforceConnector.secrets)[number]>;
      calls?: CallSettings;
    };
  } = {},
): Promise<{ emulator: SalesforceEmulator; connector: SalesforceConnector; clock: FakeClock }> {
  const clock =
    options.clock ?? new FakeClock({ autoAdvance: true, start: '2024-01-01T00:00:00.000Z' });
  const emulator = await startSalesforceEmulator({ clock, ...options.emulator });
  const connector = openForTest(salesforceConnector, {
    settings: {
      instanceUrl: emulator.url,
      loginUrl: emulator.url,
      apiVersion: emulator.version,
      bulkPollMs: 1_000,
      ...options.connector?.settings,
    },
    secrets: {
      accessToken: emulator.accessToken,
      refreshToken: emulator.auth.refreshToken,
      clientId: emulator.auth.clientId,
      clientSecret: emulator.auth.clientSecret,
      ...options.connector?.secrets,
    },
    clock,
    // Generous for a loaded CI machine; the contract harness shortens it to meet its hang fault.
    calls: { timeoutMs: 10_000, ...options.connector?.calls },
  });
  return { emulator, connector, clock };
}

export async function createSalesforceHarness(): Promise<SalesforceHarness> {
  const { emulator, connector, clock } = await startSalesforcePair({
    connector: { calls: { timeoutMs: 1_000 } },
  });
  // A `timeout` fault holds its answer past the connector's per-attempt timeout.
  emulator.faults.hangMs = 1_500;
  const newFields = (tag: string): Fields => ({
    External_Id__c: tag,
    FirstName: tag,
    LastName: `Last ${tag}`,
  });
  let seeded = 0;
  const create = (fields: Fields): SfRecord => {
    const outcome = emulator.store.create(OBJECT, fields);
    const record = outcome.ok ? emulator.store.get(outcome.id) : undefined;
    if (record === undefined) throw new Error(`seed failed: ${JSON.stringify(outcome)}`);
    return record;
  };
  return {
    connector,
    emulator,
    object: OBJECT,
    keyField: 'External_Id__c',
    textField: 'FirstName',
    pageSize: 10,
    missingId: '003Dn0000999999999',
    capabilities: { deletes: true, writeModes: ['create', 'update', 'upsert', 'delete'] },
    clock,
    advanceTime: (ms) => clock.advance(ms),
    newFields,
    seed: async (count, seedOptions = {}) => {
      const records: ConnectorRecord[] = [];
      for (let i = 0; i < count; i++) {
        records.push(contactRecord(create(newFields(`seed-${++seeded}`))));
        // Salesforce stamps whole seconds: distinct stamps need a second between writes.
        if (seedOptions.sameUpdatedAt !== true) await clock.advance(1_000);
      }
      return records;
    },
    storeRecords: () =>
      Promise.resolve(emulator.store.list(OBJECT).map((record) => contactRecord(record))),
    updateInVendor: (id, fields) => {
      const outcome = emulator.store.update(OBJECT, id, fields);
      return outcome.ok
        ? Promise.resolve()
        : Promise.reject(new Error(JSON.stringify(outcome.errors)));
    },
    deleteInVendor: (id) => {
      const outcome = emulator.store.delete(id);
      return outcome.ok
        ? Promise.resolve()
        : Promise.reject(new Error(JSON.stringify(outcome.errors)));
    },
    injectFault: (kind, faultOptions = {}) => {
      const endpoint = endpointFor(faultOptions.operation);
      emulator.faults.failNext(faultKind(kind), {
        ...(faultOptions.retryAfterMs === undefined
          ? {}
          : { retryAfterMs: faultOptions.retryAfterMs }),
        ...(endpoint === undefined ? {} : { endpoint }),
      });
      return Promise.resolve();
    },
    rejectWrites: (predicate) => {
      emulator.faults.rejectRecords(({ values }) =>
        predicate({ fields: values as Fields })
          ? {
              statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
              message: 'rejected by the test',
              fields: [],
            }
          : undefined,
      );
      return Promise.resolve({ code: 'invalid_value', retryable: false });
    },
    refreshCount: () => emulator.sessions.grants.refresh_token,
    close: () => emulator.close(),
  };
}

/** The jobs suite's harness: Bulk API 2.0 from 5 operations on. */
export async function createSalesforceJobHarness(): Promise<JobHarness> {
  const { emulator, connector, clock } = await startSalesforcePair({
    connector: { settings: { bulkThreshold: 5 } },
    emulator: { bulkInProgressPolls: 2 },
  });
  return {
    connector,
    object: 'Contact',
    jobSize: 5,
    newFields: (tag) => ({ LastName: `Job ${tag}`, Email: `${tag}@example.com` }),
    clock,
    storeIds: () => Promise.resolve(emulator.store.list('Contact').map((record) => record.Id)),
    close: () => emulator.close(),
  };
}
