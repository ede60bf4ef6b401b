/**
 * THE contract test kit (DESIGN.md, "The connector contract"): one suite per capability, and a
 * connector runs the suites of exactly the capabilities it declared, against its emulator. Each
 * case gets a fresh harness, closed after the case.
 */
import type { Capability } from '../contract';
import { registerAudienceCases } from './audience-cases';
import type { AudienceHarness, EventHarness, Slot } from './destination-harness';
import { registerEventCases } from './event-cases';
import { registerFaultCases } from './fault-cases';
import { registerMembershipJobCases } from './membership-job-cases';
import { type JobHarness, registerJobCases } from './job-cases';
import type { ContractHarness } from './harness';
import { registerReadCases } from './read-cases';
import { type WebhookHarness, registerWebhookCases } from './webhook-cases';
import { registerWriteCases } from './write-cases';

export type {
  ContractCapabilities,
  ContractFault,
  ContractHarness,
  ContractOperation,
} from './harness';
export type { AudienceHarness, EventHarness } from './destination-harness';
export type { JobHarness } from './job-cases';
export type { WebhookHarness } from './webhook-cases';

/** A harness maker per capability; a record connector gives the same one for source and records. */
export interface ContractHarnesses {
  source?: () => Promise<ContractHarness>;
  records?: () => Promise<ContractHarness>;
  events?: () => Promise<EventHarness>;
  audiences?: () => Promise<AudienceHarness>;
  webhooks?: () => Promise<WebhookHarness>;
  jobs?: () => Promise<JobHarness>;
}

function withHarness<H extends { close(): Promise<void> }>(
  make: () => Promise<H>,
  register: (slot: Slot<H>) => void,
): void {
  let harness: H | undefined;
  const slot: Slot<H> = {
    get current(): H {
      if (harness === undefined) throw new Error('the contract harness is not ready');
      return harness;
    },
  };
  beforeEach(async () => {
    harness = await make();
  });
  afterEach(async () => {
    const closing = harness;
    harness = undefined;
    await closing?.close();
  });
  register(slot);
}

/** Registers the suites of every capability `connector` declares. */
export function describeConnectorContract(
  name: string,
  connector: { capabilities: readonly Capability[] },
  harnesses: ContractHarnesses,
): void {
  describe(`connector contract: ${name}`, () => {
    for (const capability of connector.capabilities) {
      const make = harnesses[capability];
      if (make === undefined) {
        it(`has a harness for its declared capability ${capability}`, () => {
          throw new Error(`${name} declares ${capability} but its test gives no harness for it`);
        });
        continue;
      }
      describe(capability, () => {
        switch (capability) {
          case 'source':
            withHarness(make as () => Promise<ContractHarness>, (slot) => {
              registerReadCases(slot);
              describe('faults', () => {
                registerFaultCases(slot);
              });
            });
            break;
          case 'records':
            withHarness(make as () => Promise<ContractHarness>, registerWriteCases);
            break;
          case 'events':
            withHarness(make as () => Promise<EventHarness>, registerEventCases);
            break;
          case 'audiences':
            withHarness(make as () => Promise<AudienceHarness>, (slot) => {
              registerAudienceCases(slot);
              registerMembershipJobCases(slot);
            });
            break;
          case 'webhooks':
            withHarness(make as () => Promise<WebhookHarness>, registerWebhookCases);
            break;
          case 'jobs':
            withHarness(make as () => Promise<JobHarness>, registerJobCases);
            break;
          default: {
            const unreachable: never = capability;
            throw new Error(`unknown capability ${String(unreachable)}`);
          }
        }
      });
    }
  });
}
