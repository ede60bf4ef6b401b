/**
 * Contract cases for whole-call failures: the connector waits (on its clock) and retries 429s
 * (honouring Retry-After), retries 5xx and timeouts, refreshes an expired token, and never writes
 * twice because of a retry.
 */
import type { WriteMode } from '../contract';
import type { ContractFault, HarnessSlot } from './harness';
import { nth, readAll, sortedIds } from './harness';

const RETRY_AFTER_MS = 30_000;

async function expectReadSurvives(
  slot: HarnessSlot,
  kind: ContractFault,
  options: { retryAfterMs?: number } = {},
): Promise<{ waitedMs: number }> {
  const harness = slot.current;
  const seeded = await harness.seed(3);
  await harness.injectFault(kind, { ...options, operation: 'read' });
  const callsBefore = harness.connector.callCount();
  const startedAt = harness.clock.now().getTime();

  const records = (await readAll(harness)).pages.flat();

  expect(sortedIds(records)).toEqual(sortedIds(seeded));
  // The failed call and its successful retry both reached the vendor.
  expect(harness.connector.callCount() - callsBefore).toBeGreaterThanOrEqual(2);
  return { waitedMs: harness.clock.now().getTime() - startedAt };
}

export function registerFaultCases(slot: HarnessSlot): void {
  it('waits at least the Retry-After of a 429 on its clock, then succeeds', async () => {
    const { waitedMs } = await expectReadSurvives(slot, 'rate_limited', {
      retryAfterMs: RETRY_AFTER_MS,
    });
    expect(waitedMs).toBeGreaterThanOrEqual(RETRY_AFTER_MS);
  });

  it('backs off and succeeds after a 429 without Retry-After', async () => {
    await expectReadSurvives(slot, 'rate_limited');
  });

  it('retries a server error (5xx) and succeeds', async () => {
    await expectReadSurvives(slot, 'server_error');
  });

  it('retries a timeout and succeeds', async () => {
    await expectReadSurvives(slot, 'timeout');
  });

  it('refreshes an expired token once and succeeds, or stops as auth_invalid with nothing to renew', async () => {
    const harness = slot.current;
    if (harness.capabilities.tokenRefresh === false) {
      // Nothing to renew: the run stops at once with a reason a person can act on.
      await harness.seed(1);
      await harness.injectFault('auth_expired', { operation: 'read' });
      const callsBefore = harness.connector.callCount();
      await expect(readAll(harness)).rejects.toMatchObject({ code: 'auth_invalid' });
      expect(harness.connector.callCount() - callsBefore).toBe(1);
      return;
    }
    const refreshesBefore = slot.current.refreshCount();
    await expectReadSurvives(slot, 'auth_expired');
    expect(slot.current.refreshCount()).toBe(refreshesBefore + 1);
  });

  it('retries a rate-limited write without writing twice', async () => {
    const harness = slot.current;
    const mode: WriteMode = harness.capabilities.writeModes.includes('upsert')
      ? 'upsert'
      : 'create';
    const fields = harness.newFields('after-429');
    await harness.injectFault('rate_limited', { operation: 'write', retryAfterMs: 1_000 });

    const results = await harness.connector.write({
      object: harness.object,
      mode,
      matchField: mode === 'upsert' ? harness.keyField : undefined,
      operations: [{ fields }],
    });
    expect(results.map((result) => result.status)).toEqual(['created']);
    const stored = await harness.storeRecords();
    const matching = stored.filter(
      (record) => record.fields[harness.keyField] === fields[harness.keyField],
    );
    expect(matching).toHaveLength(1);
  });

  it('retries a failed lookup and a failed get', async () => {
    const harness = slot.current;
    const record = nth(await harness.seed(1), 0);
    const key = String(record.fields[harness.keyField]);

    await harness.injectFault('server_error', { operation: 'lookup' });
    const found = await harness.connector.lookup({
      object: harness.object,
      field: harness.keyField,
      values: [key],
      fields: [harness.keyField],
    });
    expect(sortedIds(found)).toEqual([record.id]);

    await harness.injectFault('rate_limited', { operation: 'get' });
    const got = await harness.connector.get(harness.object, [record.id], [harness.keyField]);
    expect(sortedIds(got)).toEqual([record.id]);
  });
}
