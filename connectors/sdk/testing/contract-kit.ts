/**
 * THE contract test kit: every connector runs it against its emulator (DESIGN.md, "The connector
 * contract"). Each case gets a fresh harness, closed after the case.
 */
import { registerFaultCases } from './fault-cases';
import type { ContractHarness, HarnessSlot } from './harness';
import { registerReadCases } from './read-cases';
import { registerWriteCases } from './write-cases';

export type {
  ContractCapabilities,
  ContractFault,
  ContractHarness,
  ContractOperation,
} from './harness';

/** Registers the contract's `describe`/`it` blocks for one connector. */
export function describeConnectorContract(
  name: string,
  makeHarness: () => Promise<ContractHarness>,
): void {
  describe(`connector contract: ${name}`, () => {
    let harness: ContractHarness | undefined;
    const slot: HarnessSlot = {
      get current(): ContractHarness {
        if (harness === undefined) throw new Error('the contract harness is not ready');
        return harness;
      },
    };

    beforeEach(async () => {
      harness = await makeHarness();
    });

    afterEach(async () => {
      const closing = harness;
      harness = undefined;
      await closing?.close();
    });

    describe('read', () => {
      registerReadCases(slot);
    });
    describe('write', () => {
      registerWriteCases(slot);
    });
    describe('faults', () => {
      registerFaultCases(slot);
    });
  });
}
