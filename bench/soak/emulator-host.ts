/**
 * One vendor emulator (HubSpot or Salesforce, by argv[2]) in a process of its own, driven by the
 * fault soak over IPC: seed people, edit them as users would, switch random faults on and off,
 * and report what the vendor holds and how many records its API created. The emulator runs on the
 * real clock, as Syncline's replicas do. Exits when the soak disconnects, whether it ended or died.
 */
import {
  startHubSpotEmulator,
  type HubSpotEmulator,
  type EmulatorFaultKind as HubSpotFaultKind,
} from '../../connectors/hubspot/emulator';
import {
  startSalesforceEmulator,
  type SalesforceEmulator,
} from '../../connectors/salesforce/emulator';
import type { CallFaultKind as SalesforceFaultKind } from '../../connectors/salesforce/emulator/faults';
import {
  PERSON_FIELDS,
  isHostRequest,
  type HostAnswers,
  type HostRequest,
  type Person,
  type VendorKind,
} from './protocol';

const kind = process.argv[2] as VendorKind;

/** The vendor's field for each of the soak's person fields. */
const FIELDS: Record<VendorKind, Record<(typeof PERSON_FIELDS)[number], string>> = {
  hubspot: { email: 'email', first: 'firstname', last: 'lastname', title: 'jobtitle' },
  salesforce: { email: 'Email', first: 'FirstName', last: 'LastName', title: 'Title' },
};

/** The soak's fault kinds in each vendor's words. */
const HUBSPOT_FAULTS: HubSpotFaultKind[] = [
  'rate_limited',
  'server_error',
  'timeout',
  'answer_lost',
];
const SALESFORCE_FAULTS: SalesforceFaultKind[] = [
  'rate_limited',
  'server_error',
  'timeout',
  'session_expired',
  'answer_lost',
];

let hubspot: HubSpotEmulator | undefined;
let salesforce: SalesforceEmulator | undefined;
/** Records this host made itself (seeds and users' creates): the rest came through the API. */
let madeHere = 0;

function vendorFields(person: Partial<Person>): Record<string, string> {
  const names = FIELDS[kind];
  const out: Record<string, string> = {};
  for (const field of PERSON_FIELDS) {
    const value = person[field];
    if (value !== undefined) out[names[field]] = value;
  }
  return out;
}

function create(person: Person): void {
  madeHere += 1;
  if (hubspot !== undefined) hubspot.store.insert('contacts', vendorFields(person));
  else salesforce?.store.create('Contact', vendorFields(person));
}

function people(): Array<Person & { id: string }> {
  const names = FIELDS[kind];
  if (hubspot !== undefined)
    return hubspot.store.all('contacts').map((record) => {
      const values: Record<string, string | undefined> = record.properties;
      return {
        id: record.id,
        email: values[names.email] ?? '',
        first: values[names.first] ?? '',
        last: values[names.last] ?? '',
        title: values[names.title] ?? '',
      };
    });
  return (salesforce?.store.list('Contact') ?? []).map((record) => {
    const value = (name: string): string => {
      const raw = record.values[name];
      return typeof raw === 'string' ? raw : '';
    };
    return {
      id: record.Id,
      email: value(names.email),
      first: value(names.first),
      last: value(names.last),
      title: value(names.title),
    };
  });
}

function edit(id: string, change: Partial<Person>): boolean {
  if (hubspot !== undefined)
    return hubspot.store.edit('contacts', id, vendorFields(change)) !== undefined;
  const outcome = salesforce?.store.update('Contact', id, vendorFields(change));
  return outcome?.ok === true;
}

function injected(): Record<string, number> {
  const faults = hubspot?.faults.chaos.injected ?? salesforce?.faults.chaos.injected;
  return Object.fromEntries(faults ?? new Map<string, number>());
}

function handle(request: HostRequest): HostAnswers[keyof HostAnswers] {
  switch (request.op) {
    case 'create':
      for (const person of request.people) create(person);
      return request.people.length;
    case 'edit': {
      let edited = 0;
      for (const { id, change } of request.edits) if (edit(id, change)) edited += 1;
      return edited;
    }
    case 'people':
      return people();
    case 'chaos':
      if (request.rate <= 0) {
        hubspot?.faults.chaos.set(undefined);
        salesforce?.faults.chaos.set(undefined);
      } else if (hubspot !== undefined) {
        hubspot.faults.chaos.set({ rate: request.rate, kinds: HUBSPOT_FAULTS });
      } else {
        salesforce?.faults.chaos.set({ rate: request.rate, kinds: SALESFORCE_FAULTS });
      }
      return null;
    case 'stats':
      return { injected: injected(), madeHere, records: people().length };
  }
}

async function main(): Promise<void> {
  if (kind === 'hubspot') {
    hubspot = await startHubSpotEmulator({});
    // A timed-out call is held this long, then its connection dropped.
    hubspot.faults.hangMs = 1_500;
    process.send?.({ ready: true, url: hubspot.url });
  } else {
    salesforce = await startSalesforceEmulator();
    salesforce.faults.hangMs = 1_500;
    process.send?.({
      ready: true,
      url: salesforce.url,
      accessToken: salesforce.accessToken,
      auth: salesforce.auth,
    });
  }
  process.on('message', (message: unknown) => {
    if (!isHostRequest(message)) return;
    try {
      process.send?.({ id: message.id, ok: true, value: handle(message.body) });
    } catch (error) {
      process.send?.({
        id: message.id,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  });
  process.on('disconnect', () => {
    void Promise.all([hubspot?.close(), salesforce?.close()]).finally(() => process.exit(0));
  });
}

void main();
