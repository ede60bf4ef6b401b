/**
 * No silent mass duplication: a records sync's first run estimates its match rate on a sample, and
 * when too few records would match it waits for a person (the API flag, the CLI) instead of
 * creating them all; the company-domain normaliser then matches domains to web addresses.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { memoryBackendNamed } from '../connectors/memory';
import { startTestApp, type TestApp } from './support/app';
import {
  createMemoryContactsSync,
  createSync,
  json,
  memoryConnection,
  runSyncNow,
  type RunBody,
} from './support/api-helpers';
import { runCli } from './support/cli';

type WaitingRun = RunBody & { error: string | null; errorCode: string | null };

interface Matching {
  matching: { left: { considered: number; matched: number; created: number } };
}

describe('first runs', () => {
  let app: TestApp;
  let work: string;
  const companies = { left: `fr-co-${randomUUID()}`, right: `fr-acct-${randomUUID()}` };
  const people = { left: `fr-ppl-${randomUUID()}`, right: `fr-ct-${randomUUID()}` };

  beforeAll(async () => {
    // The default guard: more than half of a side's sample without a match waits.
    app = await startTestApp({ SYNCLINE_FIRST_RUN_MAX_UNMATCHED_PERCENT: '50' });
    work = mkdtempSync(join(tmpdir(), 'syncline-first-run-'));
    memoryBackendNamed(companies.left).seed('companies', [
      { fields: { domain: 'acme.com', name: 'Acme' } },
      { fields: { domain: 'globex.com', name: 'Globex' } },
      { fields: { domain: 'initech.com', name: 'Initech' } },
    ]);
    memoryBackendNamed(companies.right).seed('Account', [
      { fields: { Website: 'https://acme.com', Name: 'Acme Corp' } },
      { fields: { Website: 'http://www.globex.com/', Name: 'Globex' } },
      { fields: { Website: 'https://www.initech.com', Name: 'Initech' } },
    ]);
    memoryBackendNamed(people.left).seed('contacts', [
      { fields: { email: 'ann@example.com', firstname: 'Ann' } },
      { fields: { email: 'bob@example.com', firstname: 'Bob' } },
    ]);
  });

  afterAll(async () => {
    await app.stop();
    rmSync(work, { recursive: true, force: true });
  });

  async function companiesSync(normalizer: string): Promise<string> {
    return createSync(app, {
      name: `Companies ${randomUUID().slice(0, 8)}`,
      left: {
        connectionId: await memoryConnection(app, `Companies ${normalizer}`, companies.left),
        object: 'companies',
        writeMode: 'upsert',
      },
      right: {
        connectionId: await memoryConnection(app, `Accounts ${normalizer}`, companies.right),
        object: 'Account',
        writeMode: 'upsert',
      },
      direction: 'left_to_right',
      match: { left: 'domain', right: 'Website', normalizer },
      mappings: [{ left: 'name', right: 'Name', direction: 'left_to_right' }],
      defaultPolicy: 'left_wins',
    });
  }

  it('holds a first run that would match nothing, creating nothing, until the match rule is fixed', async () => {
    const syncId = await companiesSync('case_insensitive');
    const preview = await json<Matching>(
      app.request(`/api/v1/syncs/${syncId}/preview`, { method: 'POST', body: '{}' }),
    );
    expect(preview.matching.left).toMatchObject({ considered: 3, matched: 0, created: 3 });

    const held = (await runSyncNow(app, syncId)) as WaitingRun;
    expect(held).toMatchObject({ status: 'cancelled', errorCode: 'confirmation_required' });
    expect(held.error).toContain(
      '0 of 3 left records match a right record (0%); 3 would be created on the right',
    );
    expect(held.counters.created).toBe(0);
    expect(memoryBackendNamed(companies.right).all('Account')).toHaveLength(3);
    // The sync stays healthy: nothing failed, it waits.
    const sync = await json<{ health: { status: string } }>(app.request(`/api/v1/syncs/${syncId}`));
    expect(sync.health.status).toBe('healthy');

    // Matched on the company domain, the same records match: the first run goes, nothing doubled.
    const current = await json<{ version: number }>(app.request(`/api/v1/syncs/${syncId}`));
    const fixed = await app.request(`/api/v1/syncs/${syncId}`, {
      method: 'PATCH',
      body: JSON.stringify({
        version: current.version,
        match: { left: 'domain', right: 'Website', normalizer: 'domain' },
      }),
    });
    expect(fixed.status).toBe(200);
    const estimate = await json<Matching>(
      app.request(`/api/v1/syncs/${syncId}/preview`, { method: 'POST', body: '{}' }),
    );
    expect(estimate.matching.left).toMatchObject({ considered: 3, matched: 3, created: 0 });
    const ran = await runSyncNow(app, syncId);
    expect(ran.status).toBe('succeeded');
    expect(ran.counters.created).toBe(0);
    const accounts = memoryBackendNamed(companies.right).all('Account');
    expect(accounts.map((account) => account.fields['Name']).sort()).toEqual([
      'Acme',
      'Globex',
      'Initech',
    ]);
  });

  it('asks in the CLI, and runs the first run once confirmed', async () => {
    const syncId = await createMemoryContactsSync(app, people, {
      name: 'People into an empty side',
      direction: 'left_to_right',
    });
    const asked = await runCli(app, work, ['trigger', 'People into an empty side', '--wait']);
    expect(asked.code).toBe(1);
    expect(asked.stderr).toContain(
      'The first run waits for confirmation: on a sample, 0 of 2 left records match a right record (0%); 2 would be created on the right',
    );
    expect(asked.stderr).toContain(
      'Not run. To run it: syncline trigger "People into an empty side" --confirm-first-run',
    );
    expect(memoryBackendNamed(people.right).all('Contact')).toHaveLength(0);

    const confirmed = await runCli(app, work, [
      'trigger',
      'People into an empty side',
      '--confirm-first-run',
      '--wait',
    ]);
    expect(confirmed.stderr).toBe('');
    expect(confirmed.code).toBe(0);
    expect(confirmed.stdout).toMatch(/\(first run confirmed\) queued/);
    expect(confirmed.stdout).toMatch(/succeeded in .*created 2/);
    expect(
      memoryBackendNamed(people.right)
        .all('Contact')
        .map((contact) => contact.fields['Email'])
        .sort(),
    ).toEqual(['ann@example.com', 'bob@example.com']);
    const runs = await json<{ items: Array<WaitingRun & { firstRunConfirmed: boolean }> }>(
      app.request(`/api/v1/runs?syncId=${syncId}`),
    );
    expect(runs.items.map((run) => [run.status, run.firstRunConfirmed])).toEqual([
      ['succeeded', true],
      ['cancelled', false],
    ]);
    // Once a run has ended, later runs are not held, whatever they would create.
    memoryBackendNamed(people.left).seed('contacts', [
      { fields: { email: 'cyd@example.com', firstname: 'Cyd' } },
    ]);
    const later = await runSyncNow(app, syncId);
    expect(later).toMatchObject({ status: 'succeeded', counters: { created: 1 } });
  });
});
