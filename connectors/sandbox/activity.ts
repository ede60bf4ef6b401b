/**
 * Simulated users of the sandbox's CRMs: every few seconds, a few random edits in the emulators
 * (a first name or a job title changed, a contact created) so that scheduled runs have something
 * to do. Seeded, so that two starts make the same edits in the same order.
 */
import { seededRandom } from '../sdk/testing/emulator-kit';
import type { SandboxEmulators } from './emulators';

export const ACTIVITY_INTERVAL_MS = 5_000;
const ACTIVITY_SEED = 7;

// prettier-ignore
const FIRST_NAMES = ['Alex', 'Billie', 'Casey', 'Drew', 'Eden', 'Frankie', 'Jordan', 'Morgan', 'Riley', 'Sasha'];
// prettier-ignore
const LAST_NAMES = ['Archer', 'Baker', 'Carter', 'Fletcher', 'Hunter', 'Mason', 'Porter', 'Turner'];
// prettier-ignore
const TITLES = ['Head of RevOps', 'Growth Marketer', 'Sales Engineer', 'Solutions Architect', 'VP Marketing', 'Account Manager'];

export interface SandboxActivity {
  /** Edits made so far. */
  edits(): number;
  stop(): void;
}

export function startSandboxActivity(
  emulators: SandboxEmulators,
  log: (message: string) => void,
  intervalMs = ACTIVITY_INTERVAL_MS,
): SandboxActivity {
  const random = seededRandom(ACTIVITY_SEED);
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(random() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  };
  const { hubspot, salesforce } = emulators;
  const hubspotIds = hubspot.store.all('contacts').map((record) => record.id);
  let made = 0;
  let signups = 0;

  const newPerson = (): { first: string; last: string; email: string } => {
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    signups++;
    return {
      first,
      last,
      email: `${first}.${last}.${String(signups)}@signups.example.com`.toLowerCase(),
    };
  };

  const edit = (): string => {
    const roll = random();
    if (roll < 0.35) {
      const id = pick(hubspotIds);
      const values: Record<string, string> =
        random() < 0.5 ? { jobtitle: pick(TITLES) } : { firstname: pick(FIRST_NAMES) };
      hubspot.store.edit('contacts', id, values);
      return `HubSpot contact ${id}: ${JSON.stringify(values)}`;
    }
    if (roll < 0.7) {
      const contacts = salesforce.store.list('Contact');
      const record = pick(contacts);
      const values: Record<string, string> =
        random() < 0.5 ? { Title: pick(TITLES) } : { FirstName: pick(FIRST_NAMES) };
      salesforce.store.update('Contact', record.Id, values);
      return `Salesforce Contact ${record.Id}: ${JSON.stringify(values)}`;
    }
    const p = newPerson();
    if (roll < 0.85) {
      const created = hubspot.store.create('contacts', {
        email: p.email,
        firstname: p.first,
        lastname: p.last,
        jobtitle: pick(TITLES),
        lifecyclestage: 'subscriber',
      });
      hubspotIds.push(created.id);
      return `HubSpot contact ${created.id} created (${p.email})`;
    }
    const outcome = salesforce.store.create('Contact', {
      Email: p.email,
      FirstName: p.first,
      LastName: p.last,
      Title: pick(TITLES),
      Lifecycle_Stage__c: 'Lead',
    });
    return outcome.ok
      ? `Salesforce Contact ${outcome.id} created (${p.email})`
      : `Salesforce refused a new Contact: ${outcome.errors.map((e) => e.message).join('; ')}`;
  };

  const timer = setInterval(() => {
    const count = 1 + Math.floor(random() * 3);
    for (let i = 0; i < count; i++) {
      try {
        log(edit());
        made++;
      } catch (error) {
        log(`Simulated edit failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }, intervalMs);
  // The activity never keeps the process alive on its own.
  timer.unref();

  return {
    edits: () => made,
    stop: () => {
      clearInterval(timer);
    },
  };
}
