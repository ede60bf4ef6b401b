import type { ConflictPolicy, SyncDefinition } from './definition';
import type { Conflict } from './ports';
import { previewSync } from './preview';
import { byEmail, contactSync, createEngineHarness } from './testing/harness.test-kit';

const ANN = { email: 'ann@example.com', firstName: 'Ann', company: 'Acme', status: 'Lead' };

/** A harness where contact c1 (Ann) was synced to a lead by a first run of `definition`. */
async function withAnnSynced(definition: SyncDefinition) {
  const h = createEngineHarness();
  h.left.seed('contacts', [{ id: 'c1', fields: ANN }]);
  await h.run(definition);
  const lead = byEmail(h.right, 'leads', 'ann@example.com');
  if (lead === undefined) throw new Error('not created');
  return { h, lead };
}

describe('runSync with two memory vendors', () => {
  it('initial sync matches by normalised email, creates the rest and links everything', async () => {
    const h = createEngineHarness();
    h.left.seed('contacts', [
      {
        id: 'c1',
        fields: { email: ' Ann@Example.com ', firstName: 'Ann', company: 'Acme', status: 'Lead' },
      },
      {
        id: 'c2',
        fields: { email: 'bob@example.com', firstName: 'Bob', company: null, status: 'Customer' },
      },
    ]);
    h.right.seed('leads', [
      {
        id: 'l1',
        fields: {
          email: 'ann@example.com',
          first_name: 'Ann',
          company: 'Acme',
          lead_status: 'NEW',
        },
      },
    ]);

    const result = await h.run(contactSync());

    expect(result.status).toBe('succeeded');
    expect(h.right.all('leads')).toHaveLength(2);
    expect(byEmail(h.right, 'leads', 'bob@example.com')?.fields).toEqual({
      email: 'bob@example.com',
      first_name: 'Bob',
      lead_status: 'WON',
    });
    expect(h.left.all('contacts')).toHaveLength(2);
    expect(
      h.store
        .links('sync-contacts')
        .map((link) => link.leftId)
        .sort(),
    ).toEqual(['c1', 'c2']);
    expect(result.counters).toMatchObject({ read: 4, created: 1, failed: 0 });
    expect(
      h.store.events.filter((event) => event.action === 'linked').map((event) => event.leftId),
    ).toEqual(['c1']);
    expect(h.store.runs.get(result.runId)?.status).toBe('succeeded');
    expect(result.counters.apiCalls.left).toBeGreaterThan(0);
    expect(result.counters.apiCalls.right).toBeGreaterThan(0);
  });

  it('carries changes made on either side to the other, then makes no write at all', async () => {
    const h = createEngineHarness();
    h.left.seed('contacts', [
      {
        id: 'c1',
        fields: { email: 'ann@example.com', firstName: 'Ann', company: 'Acme', status: 'Lead' },
      },
      {
        id: 'c2',
        fields: { email: 'bob@example.com', firstName: 'Bob', company: 'Beta', status: 'Lead' },
      },
    ]);
    await h.run(contactSync());
    const ann = byEmail(h.right, 'leads', 'ann@example.com');
    const bob = byEmail(h.right, 'leads', 'bob@example.com');
    if (ann === undefined || bob === undefined) throw new Error('not created');

    await h.clock.advance(60_000);
    h.left.update('contacts', 'c1', { firstName: 'Anna' });
    h.right.update('leads', bob.id, { company: 'Beta GmbH', lead_status: 'WON' });
    const result = await h.run(contactSync());

    expect(result.status).toBe('succeeded');
    expect(h.right.getRecord('leads', ann.id)?.fields.first_name).toBe('Anna');
    expect(h.left.getRecord('contacts', 'c2')?.fields).toMatchObject({
      company: 'Beta GmbH',
      status: 'Customer',
    });
    expect(result.counters.updated).toBe(2);

    const before = h.writes();
    await h.clock.advance(60_000);
    const quiet = await h.run(contactSync());
    expect(h.writes()).toBe(before);
    expect(quiet.counters).toMatchObject({ created: 0, updated: 0, failed: 0 });
  });

  it.each<[ConflictPolicy, string, string]>([
    ['left_wins', 'FromLeft', 'FromLeft'],
    ['right_wins', 'FromRight', 'FromRight'],
    ['prefer_left_unless_blank', 'FromLeft', 'FromLeft'],
    ['prefer_right_unless_blank', 'FromRight', 'FromRight'],
    ['latest_wins', 'FromRight', 'FromRight'],
  ])('resolves a field changed on both sides with %s', async (policy, leftAfter, rightAfter) => {
    const definition = contactSync({ defaultPolicy: policy });
    const { h, lead } = await withAnnSynced(definition);

    await h.clock.advance(1000);
    h.left.update('contacts', 'c1', { firstName: 'FromLeft' });
    await h.clock.advance(1000);
    h.right.update('leads', lead.id, { first_name: 'FromRight' });
    const result = await h.run(definition);

    expect(h.left.getRecord('contacts', 'c1')?.fields.firstName).toBe(leftAfter);
    expect(h.right.getRecord('leads', lead.id)?.fields.first_name).toBe(rightAfter);
    expect(result.counters.updated).toBe(1);
  });

  it("re-reads only the connector's lag before its cursor, or the sync's own overlapMs", async () => {
    const h = createEngineHarness();
    const start = h.clock.now().getTime();
    h.left.seed(
      'contacts',
      ['ann', 'bob', 'cyd', 'dee'].map((name, i) => ({
        id: name,
        fields: { email: `${name}@example.com`, firstName: name, status: 'Lead' },
        updatedAt: new Date(start - (4 - i) * 1000).toISOString(),
      })),
    );
    const oneWay = (overrides: Partial<SyncDefinition> = {}): SyncDefinition =>
      contactSync({ direction: 'left_to_right', ...overrides });
    expect((await h.run(oneWay())).counters).toMatchObject({ read: 4, created: 4 });

    await h.clock.advance(60_000);
    h.left.update('contacts', 'ann', { firstName: 'Anna' });
    // The memory connector declares a 1 ms lag: the edit alone, not the records read a minute ago.
    expect((await h.run(oneWay())).counters).toMatchObject({ read: 1, updated: 1 });

    await h.clock.advance(60_000);
    h.left.update('contacts', 'bob', { firstName: 'Bobby' });
    // Five minutes set on the sync: every record changed within them read again; only Bob's edit
    // is written.
    const wide = await h.run(oneWay({ overlapMs: 5 * 60_000 }));
    expect(wide.counters).toMatchObject({ read: 4, updated: 1, unchanged: 3 });
  });

  it('prefer_left_unless_blank takes the right value when the left one was cleared', async () => {
    const definition = contactSync({ defaultPolicy: 'prefer_left_unless_blank' });
    const { h, lead } = await withAnnSynced(definition);
    h.left.update('contacts', 'c1', { company: null });
    h.right.update('leads', lead.id, { company: 'Acme Inc' });
    await h.run(definition);
    expect(h.left.getRecord('contacts', 'c1')?.fields.company).toBe('Acme Inc');
  });

  it('latest_wins gives a tie to the sync tie breaker', async () => {
    const definition = contactSync({ defaultPolicy: 'latest_wins', tieBreaker: 'right' });
    const { h, lead } = await withAnnSynced(definition);
    await h.clock.advance(1000);
    h.left.update('contacts', 'c1', { firstName: 'L' });
    h.right.update('leads', lead.id, { first_name: 'R' });
    await h.run(definition);
    expect(h.left.getRecord('contacts', 'c1')?.fields.firstName).toBe('R');
  });

  it('stores a manual conflict, writes neither side, and applies the resolution next run', async () => {
    const definition = contactSync({ defaultPolicy: 'manual' });
    const { h, lead } = await withAnnSynced(definition);
    await h.clock.advance(1000);
    h.left.update('contacts', 'c1', { company: 'Acme Left' });
    h.right.update('leads', lead.id, { company: 'Acme Right' });

    const conflicted = await h.run(definition);
    expect(conflicted.counters.conflicts).toBe(1);
    expect(h.left.getRecord('contacts', 'c1')?.fields.company).toBe('Acme Left');
    expect(h.right.getRecord('leads', lead.id)?.fields.company).toBe('Acme Right');
    const conflict = h.store.openConflicts('sync-contacts')[0] as Conflict | undefined;
    expect(conflict).toMatchObject({
      leftId: 'c1',
      rightId: lead.id,
      leftField: 'company',
      leftValue: 'Acme Left',
      rightValue: 'Acme Right',
    });
    expect(
      h.store.events.some((event) => event.action === 'conflict' && event.leftId === 'c1'),
    ).toBe(true);

    // Not raised again while nobody touched the field.
    await h.clock.advance(1000);
    expect((await h.run(definition)).counters.conflicts).toBe(0);

    if (conflict === undefined) throw new Error('no conflict');
    h.store.resolveConflict(conflict.id, { side: 'right' });
    await h.clock.advance(1000);
    const applied = await h.run(definition);
    expect(applied.status).toBe('succeeded');
    expect(h.left.getRecord('contacts', 'c1')?.fields.company).toBe('Acme Right');
    expect(h.store.conflicts.get(conflict.id)?.status).toBe('applied');

    const before = h.writes();
    await h.clock.advance(1000);
    await h.run(definition);
    expect(h.writes()).toBe(before);
  });

  it.each(['ignore', 'unlink', 'propagate'] as const)(
    'applies the %s delete policy to reported deletes',
    async (deletePolicy) => {
      const h = createEngineHarness();
      h.left.seed('contacts', [
        {
          id: 'c1',
          fields: { email: 'ann@example.com', firstName: 'Ann', company: 'Acme', status: 'Lead' },
        },
        {
          id: 'c2',
          fields: { email: 'bob@example.com', firstName: 'Bob', company: 'Beta', status: 'Lead' },
        },
      ]);
      // One-way, so the unlinked lead is not read back as a new record (see the report on unlink).
      const definition = contactSync({ deletePolicy, direction: 'left_to_right' });
      await h.run(definition);
      const lead = byEmail(h.right, 'leads', 'ann@example.com');
      if (lead === undefined) throw new Error('not created');
      await h.clock.advance(1000);
      h.left.remove('contacts', 'c1');
      const result = await h.run(definition);

      const links = h.store.links('sync-contacts').map((link) => link.leftId);
      const rightIds = h.right.all('leads').map((record) => record.id);
      switch (deletePolicy) {
        case 'ignore':
          expect(links).toContain('c1');
          expect(rightIds).toContain(lead.id);
          break;
        case 'unlink':
          expect(links).toEqual(['c2']);
          expect(rightIds).toContain(lead.id);
          expect(
            h.store.events.some((event) => event.action === 'unlinked' && event.leftId === 'c1'),
          ).toBe(true);
          break;
        case 'propagate':
          expect(links).toEqual(['c2']);
          expect(rightIds).not.toContain(lead.id);
          expect(result.counters.deleted).toBe(1);
          // The delete we made is reported by the right side next run and changes nothing.
          await h.clock.advance(1000);
          expect((await h.run(definition)).counters).toMatchObject({ deleted: 0, failed: 0 });
          expect(h.left.all('contacts')).toHaveLength(1);
          break;
      }
      expect(h.right.all('leads').some((record) => record.fields.email === 'bob@example.com')).toBe(
        true,
      );
    },
  );

  it('warns of deletes the vendor no longer holds, until a full refresh finds the records gone', async () => {
    const definition = contactSync({ deletePolicy: 'propagate' });
    const { h, lead } = await withAnnSynced(definition);
    const bob = h.left.create('contacts', { ...ANN, email: 'bob@example.com' });
    await h.clock.advance(1000);
    await h.run(definition);
    // While the sync is paused, Ann is deleted and the recycle bin emptied before it reads again.
    await h.clock.advance(60_000);
    h.left.remove('contacts', 'c1');
    await h.clock.advance(60_000);
    h.left.emptyRecycleBin('contacts');
    await h.clock.advance(60_000);

    for (let run = 0; run < 2; run++) {
      const result = await h.run(definition);
      expect(result.status).toBe('succeeded');
      expect(result.counters.deleted).toBe(0);
      expect(result.warnings).toEqual([
        expect.stringMatching(
          /^Deletes on left \(contacts\) between .+ and 2024-01-01T00:01:01.000Z may be lost: the recycle bin was emptied\. A full refresh \(POST \/api\/v1\/syncs\/sync-contacts\/runs with \{"fullRefresh": true\}\) finds the records that are gone\.$/,
        ),
      ]);
      expect(h.right.getRecord('leads', lead.id)).toBeDefined();
      await h.clock.advance(60_000);
    }

    const full = await h.run(definition, { fullRefresh: true });

    expect(full.warnings).toBeUndefined();
    expect(full.counters).toMatchObject({ deleted: 1, created: 0, failed: 0 });
    expect(h.right.getRecord('leads', lead.id)).toBeUndefined();
    expect(h.right.all('leads').map((record) => record.fields.email)).toEqual(['bob@example.com']);
    expect(h.store.links('sync-contacts').map((link) => link.leftId)).toEqual([bob.id]);
    expect(h.store.events).toContainEqual(
      expect.objectContaining({
        action: 'deleted',
        leftId: 'c1',
        rightId: lead.id,
        message: 'not found in a full read of left',
      }),
    );
    await h.clock.advance(60_000);
    const after = await h.run(definition);
    expect(after.warnings).toBeUndefined();
    expect(after.counters).toMatchObject({ deleted: 0, created: 0, updated: 0 });
  });

  it('re-links the partner of a record merged away to the survivor instead of deleting it', async () => {
    const definition = contactSync({ deletePolicy: 'propagate' });
    const { h, lead } = await withAnnSynced(definition);
    await h.clock.advance(1000);
    // Ann Smith is entered again, then the first Ann is merged into her (the duplicate manager).
    const survivor = h.left.create('contacts', { ...ANN, email: 'ann.smith@example.com' });
    h.left.merge('contacts', survivor.id, 'c1', { company: 'Acme Group' });
    await h.clock.advance(1000);

    const result = await h.run(definition);

    expect(result.counters).toMatchObject({ deleted: 0, created: 0, failed: 0 });
    expect(h.right.all('leads')).toHaveLength(1);
    expect(h.right.getRecord('leads', lead.id)?.fields).toMatchObject({
      email: 'ann.smith@example.com',
      company: 'Acme Group',
    });
    expect(h.store.links('sync-contacts')).toEqual([
      expect.objectContaining({ leftId: survivor.id, rightId: lead.id }),
    ]);
    expect(h.store.events).toContainEqual(
      expect.objectContaining({
        action: 'linked',
        leftId: survivor.id,
        rightId: lead.id,
        message: `c1 was merged into ${survivor.id} on left; ${lead.id} is now linked to ${survivor.id}`,
      }),
    );
  });

  it.each(['propagate', 'unlink'] as const)(
    'applies the %s policy to the duplicate a merge into a linked record leaves on the other side',
    async (deletePolicy) => {
      // Unlink: one-way, so the unlinked lead is not read back as a new record (as for deletes).
      const definition = contactSync({
        deletePolicy,
        ...(deletePolicy === 'unlink' ? { direction: 'left_to_right' as const } : {}),
      });
      const { h, lead } = await withAnnSynced(definition);
      const bob = h.left.create('contacts', { ...ANN, email: 'ann2@example.com' });
      await h.clock.advance(1000);
      await h.run(definition);
      const second = byEmail(h.right, 'leads', 'ann2@example.com');
      if (second === undefined) throw new Error('not created');
      await h.clock.advance(1000);
      h.left.merge('contacts', 'c1', bob.id);
      await h.clock.advance(1000);

      const result = await h.run(definition);

      expect(h.store.links('sync-contacts').map((link) => [link.leftId, link.rightId])).toEqual([
        ['c1', lead.id],
      ]);
      const message = `${bob.id} was merged into c1 on left, which is linked to ${lead.id}`;
      if (deletePolicy === 'propagate') {
        expect(result.counters.deleted).toBe(1);
        expect(h.right.all('leads').map((record) => record.id)).toEqual([lead.id]);
        expect(h.store.events).toContainEqual(
          expect.objectContaining({
            action: 'deleted',
            leftId: bob.id,
            rightId: second.id,
            message,
          }),
        );
      } else {
        expect(result.counters.deleted).toBe(0);
        expect(h.store.events).toContainEqual(
          expect.objectContaining({
            action: 'unlinked',
            leftId: bob.id,
            rightId: second.id,
            message,
          }),
        );
      }
    },
  );

  it('queues a rejected record, retries it from its current version, and marks it dead after maxAttempts', async () => {
    const h = createEngineHarness();
    h.left.seed('contacts', [
      {
        id: 'c1',
        fields: { email: 'ann@example.com', firstName: 'Ann', company: 'Acme', status: 'Lead' },
      },
      {
        id: 'c2',
        fields: { email: 'bob@example.com', firstName: 'Bob', company: 'Bad', status: 'Lead' },
      },
    ]);
    const stop = h.right.faults.rejectRecords((operation) =>
      operation.fields.company === 'Bad'
        ? { code: 'invalid_value', message: 'company is not allowed', retryable: false }
        : undefined,
    );
    const definition = contactSync({ maxAttempts: 3, direction: 'left_to_right' });
    const first = await h.run(definition);
    expect(first.status).toBe('partial');
    expect(first.counters).toMatchObject({ created: 1, failed: 1 });
    expect(h.store.failedRecords('sync-contacts')).toMatchObject([
      { side: 'left', recordId: 'c2', attempts: 1, dead: false, errorCode: 'invalid_value' },
    ]);
    expect(h.store.events.find((event) => event.action === 'failed')).toMatchObject({
      leftId: 'c2',
      errorCode: 'invalid_value',
      message: 'company is not allowed',
    });

    // Not due yet: nothing retried.
    await h.clock.advance(10 * 60_000);
    await h.run(definition);
    await h.clock.advance(10 * 60_000);
    await h.run(definition);
    const [failed] = h.store.failedRecords('sync-contacts');
    expect(failed).toMatchObject({ attempts: 3, dead: true });
    await h.clock.advance(24 * 60 * 60_000);
    await h.run(definition);
    expect(h.store.failedRecords('sync-contacts')).toMatchObject([{ attempts: 3, dead: true }]);

    // Fixed at the source: the next change goes through and clears the queue.
    stop();
    h.left.update('contacts', 'c2', { company: 'Good' });
    const fixed = await h.run(definition);
    expect(fixed.status).toBe('succeeded');
    expect(byEmail(h.right, 'leads', 'bob@example.com')?.fields.company).toBe('Good');
    expect(h.store.failedRecords('sync-contacts')).toEqual([]);
  });

  it('retries a failed record with its current values, not the payload that failed', async () => {
    const h = createEngineHarness();
    h.left.seed('contacts', [
      {
        id: 'c1',
        fields: { email: 'ann@example.com', firstName: 'Ann', company: 'Acme', status: 'Lead' },
      },
    ]);
    const definition = contactSync({ direction: 'left_to_right', overlapMs: 0 });
    h.right.faults.rejectRecords(() => ({
      code: 'locked',
      message: 'row locked',
      retryable: true,
    }));
    expect((await h.run(definition)).status).toBe('partial');
    h.right.faults.reset();
    // Changed silently (as if before the cursor): only the retry can pick it up.
    h.left
      .object('contacts')
      .put(
        'c1',
        { email: 'ann@example.com', firstName: 'Annie', company: 'Acme', status: 'Lead' },
        '2023-01-01T00:00:00.000Z',
      );
    await h.clock.advance(2 * 60_000);
    const retried = await h.run(definition);
    expect(retried.status).toBe('succeeded');
    expect(byEmail(h.right, 'leads', 'ann@example.com')?.fields.first_name).toBe('Annie');
  });

  it('reports an ambiguous match instead of guessing', async () => {
    const h = createEngineHarness();
    h.left.seed('contacts', [
      {
        id: 'c1',
        fields: { email: 'ann@example.com', firstName: 'Ann', company: 'Acme', status: 'Lead' },
      },
    ]);
    h.right.seed('leads', [
      { id: 'l1', fields: { email: 'ann@example.com', first_name: 'Ann' } },
      { id: 'l2', fields: { email: 'ann@example.com', first_name: 'Annie' } },
    ]);
    const result = await h.run(contactSync({ direction: 'left_to_right' }));
    expect(h.right.all('leads')).toHaveLength(2);
    expect(h.store.links('sync-contacts')).toEqual([]);
    expect(h.store.events.find((event) => event.action === 'ambiguous_match')).toMatchObject({
      leftId: 'c1',
      side: 'left',
    });
    expect(result.counters.skipped).toBe(1);
  });

  it('previews creates, updates and conflicts without writing or committing', async () => {
    const h = createEngineHarness();
    h.left.seed('contacts', [
      {
        id: 'c1',
        fields: { email: 'ann@example.com', firstName: 'Ann', company: 'Acme', status: 'Lead' },
      },
      {
        id: 'c2',
        fields: { email: 'bob@example.com', firstName: 'Bob', company: 'Beta', status: 'Lead' },
      },
    ]);
    h.right.seed('leads', [
      {
        id: 'l1',
        fields: {
          email: 'ann@example.com',
          first_name: 'Ann',
          company: 'Acme Corp',
          lead_status: 'NEW',
        },
      },
    ]);
    const preview = await previewSync({
      definition: contactSync({ defaultPolicy: 'left_wins' }),
      left: h.leftConnector,
      right: h.rightConnector,
      store: h.store,
    });
    expect(preview.problems).toEqual([]);
    expect(preview.creates).toEqual([
      {
        side: 'right',
        sourceId: 'c2',
        fields: {
          email: 'bob@example.com',
          first_name: 'Bob',
          company: 'Beta',
          lead_status: 'NEW',
        },
      },
    ]);
    expect(preview.updates).toEqual([
      {
        side: 'right',
        id: 'l1',
        sourceId: 'c1',
        newLink: true,
        changes: [{ field: 'company', from: 'Acme Corp', to: 'Acme' }],
      },
    ]);
    expect(h.writes()).toBe(0);
    expect(h.store.commits).toBe(0);

    const manual = await previewSync({
      definition: contactSync({ defaultPolicy: 'manual' }),
      left: h.leftConnector,
      right: h.rightConnector,
      store: h.store,
      recordIds: { left: ['c1'] },
    });
    expect(manual.conflicts).toEqual([
      {
        leftId: 'c1',
        rightId: 'l1',
        leftField: 'company',
        rightField: 'company',
        leftValue: 'Acme',
        rightValue: 'Acme Corp',
      },
    ]);
    expect(manual.creates).toEqual([]);
    expect(h.writes()).toBe(0);
  });

  it('stops when cancelled, keeps committed pages, and finishes the rest next run', async () => {
    const h = createEngineHarness({ pageSize: 2 });
    h.left.seed(
      'contacts',
      Array.from({ length: 6 }, (_, i) => ({
        id: `c${String(i)}`,
        fields: { email: `p${String(i)}@example.com`, firstName: `P${String(i)}` },
      })),
    );
    const controller = new AbortController();
    const progress: number[] = [];
    const result = await h.run(contactSync({ direction: 'left_to_right' }), {
      signal: controller.signal,
      onProgress: (update) => {
        progress.push(update.read);
        if (update.read >= 2) controller.abort();
      },
    });
    expect(result.status).toBe('cancelled');
    expect(h.right.all('leads')).toHaveLength(2);
    expect(progress[0]).toBe(2);
    expect(h.store.runs.get(result.runId)?.status).toBe('cancelled');
    const rest = await h.run(contactSync({ direction: 'left_to_right' }));
    expect(rest.status).toBe('succeeded');
    expect(h.right.all('leads')).toHaveLength(6);
  });

  it('fails only the batch of a whole-call failure, and the next run reports the write that went through', async () => {
    const h = createEngineHarness();
    h.left.seed('contacts', [{ id: 'c1', fields: { email: 'ann@example.com', firstName: 'Ann' } }]);
    // The vendor applies the create, then the answer is lost.
    h.right.faults.failAfterNextWrite();
    const first = await h.run(contactSync({ direction: 'left_to_right' }));
    expect(first.status).toBe('partial');
    expect(first.counters).toMatchObject({ created: 0, failed: 1 });
    expect(h.store.failedRecords('sync-contacts')).toMatchObject([
      { side: 'left', recordId: 'c1', errorCode: 'network' },
    ]);
    expect(h.right.all('leads')).toHaveLength(1);

    const again = await h.run(contactSync({ direction: 'left_to_right' }));
    expect(again.status).toBe('succeeded');
    expect(again.counters.created).toBe(1);
    expect(h.right.all('leads')).toHaveLength(1);
    expect(h.store.links('sync-contacts')).toHaveLength(1);
    expect(h.store.failedRecords('sync-contacts')).toEqual([]);
    // The sync log shows the create under the run that sent it.
    const created = h.store.events.filter((event) => event.action === 'created');
    expect(created).toMatchObject([{ runId: first.runId, leftId: 'c1' }]);
    expect(created[0].message).toContain(again.runId);
  });

  it('reads no deletes before a side was first read, then only those since its last complete read', async () => {
    const h = createEngineHarness();
    const asked: (string | undefined)[] = [];
    const readDeleted = h.leftConnector.readDeleted?.bind(h.leftConnector);
    if (readDeleted === undefined) throw new Error('the memory connector reads deletes');
    h.leftConnector.readDeleted = (request) => {
      asked.push(request.since);
      return readDeleted(request);
    };
    h.left.seed('contacts', [{ id: 'c1', fields: ANN }]);
    const definition = contactSync({ deletePolicy: 'unlink' });

    const firstStart = h.clock.now().toISOString();
    await h.run(definition);
    // Nothing was linked before the first read: no delete can concern the sync.
    expect(asked).toEqual([]);
    const afterFirst = await h.store.getCursor('sync-contacts', 'left');
    // Less the memory connector's declared lag (1 ms).
    expect(Date.parse(afterFirst?.deletedSince ?? '')).toBeGreaterThanOrEqual(
      Date.parse(firstStart) - 1,
    );

    // No delete found: the next read still starts where the last complete one began (less the
    // sync's overlap), not at the beginning of time.
    const secondStart = h.clock.now().toISOString();
    await h.run(definition);
    expect(asked).toHaveLength(1);
    const overlapMs = Date.parse(afterFirst?.deletedSince ?? '') - Date.parse(asked[0] ?? '');
    expect(overlapMs).toBeGreaterThanOrEqual(0);
    expect(overlapMs).toBeLessThan(10 * 60_000);
    const afterSecond = await h.store.getCursor('sync-contacts', 'left');
    expect(Date.parse(afterSecond?.deletedSince ?? '')).toBeGreaterThanOrEqual(
      Date.parse(secondStart) - 1,
    );

    // A delete after that is read from there, and unlinks the pair.
    h.left.remove('contacts', 'c1');
    await h.run(definition);
    expect(asked).toHaveLength(2);
    expect(Date.parse(asked[1] ?? '')).toBe(
      Date.parse(afterSecond?.deletedSince ?? '') - overlapMs,
    );
    expect(
      h.store.events.filter((event) => event.action === 'unlinked').map((event) => event.leftId),
    ).toEqual(['c1']);
  });

  it('refuses an invalid definition before reading anything', async () => {
    const h = createEngineHarness();
    const result = await h.run(
      contactSync({
        mappings: [
          {
            left: 'x',
            right: 'y',
            direction: 'both',
            transforms: { leftToRight: [{ kind: 'jsonata', expression: '$uppercase(' }] },
          },
        ],
      }),
    );
    expect(result.status).toBe('failed');
    expect(result.problems[0]?.path).toBe('mappings[0].transforms.leftToRight[0].expression');
    expect(h.leftConnector.callCount() + h.rightConnector.callCount()).toBe(0);
  });

  it('never creates on an update-only side and never updates an insert-only side', async () => {
    const h = createEngineHarness();
    h.left.seed('contacts', [
      { id: 'c1', fields: { email: 'ann@example.com', firstName: 'Ann' } },
      { id: 'c2', fields: { email: 'bob@example.com', firstName: 'Bob' } },
    ]);
    h.right.seed('leads', [{ id: 'l1', fields: { email: 'ann@example.com', first_name: 'Old' } }]);
    await h.run(
      contactSync({ direction: 'left_to_right', right: { object: 'leads', writeMode: 'update' } }),
    );
    expect(h.right.all('leads').map((record) => record.fields.first_name)).toEqual(['Ann']);

    const insertOnly = createEngineHarness();
    insertOnly.left.seed('contacts', [
      { id: 'c1', fields: { email: 'ann@example.com', firstName: 'Ann' } },
      { id: 'c2', fields: { email: 'bob@example.com', firstName: 'Bob' } },
    ]);
    insertOnly.right.seed('leads', [
      { id: 'l1', fields: { email: 'ann@example.com', first_name: 'Old' } },
    ]);
    await insertOnly.run(
      contactSync({ direction: 'left_to_right', right: { object: 'leads', writeMode: 'create' } }),
    );
    expect(
      insertOnly.right
        .all('leads')
        .map((record) => record.fields.first_name)
        .sort(),
    ).toEqual(['Bob', 'Old']);
  });

  it('writes in batches up to the vendor limit', async () => {
    const h = createEngineHarness({ maxBatch: 3 });
    h.left.seed(
      'contacts',
      Array.from({ length: 10 }, (_, i) => ({
        fields: { email: `p${String(i)}@example.com`, firstName: 'P' },
      })),
    );
    await h.run(contactSync({ direction: 'left_to_right' }));
    expect(h.right.all('leads')).toHaveLength(10);
    expect(h.right.calls.write).toBe(4);
  });
});
