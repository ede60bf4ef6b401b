/**
 * Contract cases for an audience destination that changes members through vendor jobs
 * (`membershipJobs`): a job holds a run's changes, nothing reaches the audience until it is
 * started and ends, it says how it ended, and a job never started changes nothing.
 */
import type { AudienceMember, MembershipJobState, MembershipJobTicket } from '../contract';
import type { AudienceHarness, Slot } from './destination-harness';

function members(count: number, from = 0): AudienceMember[] {
  return Array.from({ length: count }, (_, index) => ({
    key: `job-${String(from + index)}`,
    identifiers: { email: `member.job.${String(from + index)}@example.com` },
  }));
}

/** Polls the job, letting the vendor's time pass between polls, until it ends. */
async function ended(
  harness: AudienceHarness,
  ticket: MembershipJobTicket,
): Promise<MembershipJobState> {
  const jobs = harness.connector.membershipJobs;
  if (jobs === undefined) throw new Error('no membership jobs');
  for (let polls = 0; polls < 20; polls++) {
    const state = await jobs.poll(ticket);
    if (state.status !== 'running') return state;
    await harness.passJobTime?.();
  }
  throw new Error(`job ${ticket.id} still running after 20 polls`);
}

export function registerMembershipJobCases(slot: Slot<AudienceHarness>): void {
  it('changes members through one job: nothing before it is started and ends, all after', async () => {
    const harness = slot.current;
    const jobs = harness.connector.membershipJobs;
    if (jobs === undefined) return;
    const ticket = await jobs.open(harness.writable);
    expect(ticket.audience).toBe(harness.writable);
    const first = await jobs.add(ticket, {
      audience: harness.writable,
      add: members(2),
      remove: [],
    });
    const second = await jobs.add(ticket, {
      audience: harness.writable,
      add: members(1, 2),
      remove: [],
    });
    expect([...first, ...second].map((result) => [result.key, result.status])).toEqual([
      ['job-0', 'added'],
      ['job-1', 'added'],
      ['job-2', 'added'],
    ]);
    expect((await harness.heldMembers(harness.writable)).size).toBe(0);
    await jobs.start(ticket);
    expect(await ended(harness, ticket)).toMatchObject({ status: 'done' });
    expect([...(await harness.heldMembers(harness.writable)).keys()].sort()).toEqual([
      'job-0',
      'job-1',
      'job-2',
    ]);

    const leaving = await jobs.open(harness.writable);
    await jobs.add(leaving, { audience: harness.writable, add: [], remove: members(1) });
    await jobs.start(leaving);
    expect(await ended(harness, leaving)).toMatchObject({ status: 'done' });
    expect([...(await harness.heldMembers(harness.writable)).keys()].sort()).toEqual([
      'job-1',
      'job-2',
    ]);
  });

  it('changes nothing with a job never started, which polls as failed', async () => {
    const harness = slot.current;
    const jobs = harness.connector.membershipJobs;
    if (jobs === undefined) return;
    const ticket = await jobs.open(harness.writable);
    await jobs.add(ticket, { audience: harness.writable, add: members(2, 10), remove: [] });
    await harness.passJobTime?.();
    expect(await jobs.poll(ticket)).toMatchObject({ status: 'failed' });
    expect((await harness.heldMembers(harness.writable)).size).toBe(0);
  });

  it('refuses, in the answer to the add, a member with no identifier the vendor matches on', async () => {
    const harness = slot.current;
    const jobs = harness.connector.membershipJobs;
    if (jobs === undefined) return;
    const accepted = new Set(harness.connector.identifiers.map((rule) => rule.type));
    const foreign = (['zip', 'first_name', 'vendor_id'] as const).find(
      (type) => !accepted.has(type),
    );
    if (foreign === undefined) return;
    const ticket = await jobs.open(harness.writable);
    const results = await jobs.add(ticket, {
      audience: harness.writable,
      add: [...members(1, 20), { key: 'job-lost', identifiers: { [foreign]: 'x' } }],
      remove: [],
    });
    expect(results.map((result) => result.status)).toEqual(['added', 'failed']);
    expect(results[1]).toMatchObject({ error: { code: 'invalid_value', retryable: false } });
  });
}
