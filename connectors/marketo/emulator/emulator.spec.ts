/**
 * The Marketo emulator answers as Marketo's documentation says it does: tokens from Identity,
 * request-level errors in 200 answers, per-record statuses and reasons, activity pages that run
 * short while `moreResult` is still true, static lists, and the limits (606, 607, 615, 413, 414).
 */
import { FakeClock } from '../../sdk/clock';
import { type MarketoEmulator, TEST_SERVICE, startMarketoEmulator } from '.';

interface Answer {
  success?: boolean;
  errors?: { code: string; message: string }[];
  result?: Record<string, unknown>[];
  nextPageToken?: string;
  moreResult?: boolean;
  [key: string]: unknown;
}

describe('Marketo emulator', () => {
  let clock: FakeClock;
  let emulator: MarketoEmulator;
  let token: string;

  async function call(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; auth?: boolean } = {},
  ): Promise<{ status: number; body: Answer }> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.auth !== false) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (typeof options.body === 'string') body = options.body;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${emulator.url}${path}`, { method, headers, body });
    const text = await response.text();
    return {
      status: response.status,
      body: (response.headers.get('content-type') ?? '').includes('json')
        ? (JSON.parse(text) as Answer)
        : { text },
    };
  }

  const errorOf = (body: Answer): string | undefined => body.errors?.at(0)?.code;

  async function newToken(): Promise<string> {
    const answer = await call(
      'GET',
      `/identity/oauth/token?grant_type=client_credentials&client_id=${TEST_SERVICE.clientId}&client_secret=${TEST_SERVICE.clientSecret}`,
      { auth: false },
    );
    return String(answer.body.access_token);
  }

  beforeEach(async () => {
    clock = new FakeClock({ start: new Date('2026-03-02T15:00:00Z') });
    emulator = await startMarketoEmulator({ clock });
    token = await newToken();
  });

  afterEach(async () => {
    await emulator.close();
  });

  describe('Identity', () => {
    it('grants an hour-long token and returns the same one, with its remaining life, until it expires', async () => {
      const first = await call(
        'POST',
        `/identity/oauth/token?grant_type=client_credentials&client_id=${TEST_SERVICE.clientId}&client_secret=${TEST_SERVICE.clientSecret}`,
        { auth: false },
      );
      expect(first.body).toMatchObject({
        access_token: token,
        token_type: 'bearer',
        scope: TEST_SERVICE.user,
      });
      expect(first.body.expires_in).toBe(3600);
      await clock.advance(600_000);
      expect(await newToken()).toBe(token);
      await clock.advance(3_000_001);
      const renewed = await newToken();
      expect(renewed).not.toBe(token);
      expect(emulator.identity.grants).toBe(2);
    });

    it('refuses wrong client credentials (401) and a missing grant type (400)', async () => {
      const wrong = await call(
        'GET',
        `/identity/oauth/token?grant_type=client_credentials&client_id=${TEST_SERVICE.clientId}&client_secret=nope`,
        { auth: false },
      );
      expect(wrong).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
      const missing = await call('GET', `/identity/oauth/token?client_id=x`, { auth: false });
      expect(missing).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    });

    it('takes the token as a bearer header only: 601 without it or in the query, 602 once expired', async () => {
      expect(
        errorOf((await call('GET', '/rest/v1/leads/describe.json', { auth: false })).body),
      ).toBe('601');
      const inQuery = await call('GET', `/rest/v1/leads/describe.json?access_token=${token}`, {
        auth: false,
      });
      expect(inQuery).toMatchObject({ status: 200, body: { success: false } });
      expect(errorOf(inQuery.body)).toBe('601');
      await clock.advance(3_600_000);
      expect(errorOf((await call('GET', '/rest/v1/leads/describe.json')).body)).toBe('602');
    });
  });

  describe('leads', () => {
    it('describes lead fields, with the searchable ones in Describe Lead2', async () => {
      const describe = await call('GET', '/rest/v1/leads/describe.json');
      expect(describe.body.result).toContainEqual(
        expect.objectContaining({
          displayName: 'Email Address',
          dataType: 'email',
          rest: { name: 'email', readOnly: false },
        }),
      );
      const describe2 = await call('GET', '/rest/v1/leads/describe2.json');
      const searchable = (describe2.body.result?.at(0)?.searchableFields ?? []) as string[][];
      expect(searchable).toContainEqual(['email']);
      expect(searchable).not.toContainEqual(['firstName']);
    });

    it('syncs leads with per-record statuses and reasons, in input order', async () => {
      const [existing] = emulator.seed(1);
      const email = String(existing.fields.email);
      const created = await call('POST', '/rest/v1/leads.json', {
        body: {
          action: 'createOrUpdate',
          input: [
            { email, firstName: 'Updated' },
            { email: 'new@example.com', firstName: 'New' },
            { email: 'x@example.com', favouriteColour: 'red' },
            { email: 'not an email' },
          ],
        },
      });
      expect(created.body.result).toEqual([
        { id: existing.id, status: 'updated' },
        { id: expect.any(Number) as number, status: 'created' },
        {
          status: 'skipped',
          reasons: [{ code: '1006', message: "Field 'favouriteColour' not found" }],
        },
        {
          status: 'skipped',
          reasons: [{ code: '1003', message: expect.stringContaining("field 'email'") as string }],
        },
      ]);
      const onlyCreate = await call('POST', '/rest/v1/leads.json', {
        body: { action: 'createOnly', input: [{ email }] },
      });
      expect(onlyCreate.body.result).toEqual([
        { status: 'skipped', reasons: [{ code: '1005', message: 'Lead already exists' }] },
      ]);
      const onlyUpdate = await call('POST', '/rest/v1/leads.json', {
        body: { action: 'updateOnly', input: [{ email: 'nobody@example.com', firstName: 'x' }] },
      });
      expect(onlyUpdate.body.result).toEqual([
        { status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] },
      ]);
      const byIdOnCreate = await call('POST', '/rest/v1/leads.json', {
        body: { action: 'createOnly', input: [{ id: 5, email: 'id@example.com' }] },
      });
      expect(byIdOnCreate.body.result?.at(0)).toMatchObject({
        status: 'skipped',
        reasons: [{ code: '1003' }],
      });
    });

    it('refuses a whole request as Marketo does: over 300 records, bad JSON, no JSON content type', async () => {
      const tooMany = await call('POST', '/rest/v1/leads.json', {
        body: {
          input: Array.from({ length: 301 }, (_, index) => ({ email: `m${index}@example.com` })),
        },
      });
      expect(tooMany).toMatchObject({ status: 200, body: { success: false } });
      expect(errorOf(tooMany.body)).toBe('1003');
      expect(emulator.store.all()).toHaveLength(0);
      expect(
        errorOf(
          (
            await call('POST', '/rest/v1/leads.json', {
              body: '{"input": [',
              headers: { 'content-type': 'application/json' },
            })
          ).body,
        ),
      ).toBe('609');
      expect(
        errorOf(
          (
            await call('POST', '/rest/v1/leads.json', {
              body: '{}',
              headers: { 'content-type': 'text/plain' },
            })
          ).body,
        ),
      ).toBe('612');
      expect(errorOf((await call('GET', '/rest/v1/nothing.json')).body)).toBe('610');
    });

    it('finds leads by a searchable field only, up to 300 values, pages of batchSize', async () => {
      const leads = emulator.seed(5);
      const emails = leads.map((lead) => String(lead.fields.email).toUpperCase()).join(',');
      const first = await call(
        'GET',
        `/rest/v1/leads.json?filterType=email&filterValues=${emails}&batchSize=2&fields=email,firstName`,
      );
      expect(first.body.result).toHaveLength(2);
      expect(first.body.result?.at(0)).toEqual({
        id: leads[0]?.id,
        email: leads[0]?.fields.email,
        firstName: leads[0]?.fields.firstName,
      });
      let token = first.body.nextPageToken;
      const ids = (first.body.result ?? []).map((lead) => lead.id);
      while (token !== undefined) {
        const next = await call(
          'GET',
          `/rest/v1/leads.json?filterType=email&filterValues=${emails}&batchSize=2&nextPageToken=${encodeURIComponent(token)}`,
        );
        ids.push(...(next.body.result ?? []).map((lead) => lead.id));
        token = next.body.nextPageToken;
      }
      expect(ids).toEqual(leads.map((lead) => lead.id));
      expect(
        errorOf(
          (await call('GET', '/rest/v1/leads.json?filterType=firstName&filterValues=Ada')).body,
        ),
      ).toBe('1011');
      expect(errorOf((await call('GET', '/rest/v1/leads.json?filterValues=1')).body)).toBe('701');
      expect(
        errorOf(
          (await call('GET', '/rest/v1/leads.json?filterType=id&filterValues=1&fields=shoeSize'))
            .body,
        ),
      ).toBe('1006');
      const many = Array.from({ length: 301 }, (_, index) => index + 1).join(',');
      expect(
        errorOf((await call('GET', `/rest/v1/leads.json?filterType=id&filterValues=${many}`)).body),
      ).toBe('1003');
      expect(
        errorOf(
          (await call('GET', '/rest/v1/leads.json?filterType=id&filterValues=1&batchSize=301'))
            .body,
        ),
      ).toBe('1003');
    });

    it('answers 414 past 8 KB of URI, and reads the same query sent as a POST with _method=GET', async () => {
      const [lead] = emulator.seed(1);
      const values = [
        String(lead.fields.email),
        ...Array.from(
          { length: 299 },
          (_, index) => `someone.with.a.long.address.${index}@example.com`,
        ),
      ].join(',');
      const long = await call('GET', `/rest/v1/leads.json?filterType=email&filterValues=${values}`);
      expect(long.status).toBe(414);
      const posted = await call('POST', '/rest/v1/leads.json?_method=GET', {
        body: new URLSearchParams({ filterType: 'email', filterValues: values }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(posted.body.result?.map((found) => found.id)).toEqual([lead.id]);
      const huge = await call('POST', '/rest/v1/leads.json', {
        body: { input: [{ address: 'x'.repeat(1_100_000) }] },
      });
      expect(huge.status).toBe(413);
    });

    it('deletes leads by id, skipping the unknown with 1004', async () => {
      const [lead] = emulator.seed(1);
      const answer = await call('POST', '/rest/v1/leads/delete.json', {
        body: { input: [{ id: lead.id }, { id: 999 }] },
      });
      expect(answer.body.result).toEqual([
        { id: lead.id, status: 'deleted' },
        { id: 999, status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] },
      ]);
    });
  });

  describe('activities', () => {
    async function pagingToken(since: string): Promise<string> {
      const answer = await call(
        'GET',
        `/rest/v1/activities/pagingtoken.json?sinceDatetime=${encodeURIComponent(since)}`,
      );
      return String(answer.body.nextPageToken);
    }

    it('returns New Lead and Data Value Change activities of the fields asked for, pages running short while moreResult is true', async () => {
      const since = await pagingToken(clock.now().toISOString());
      const [lead] = emulator.seed(1);
      const firstName = lead.fields.firstName;
      for (let index = 0; index < 5; index++) {
        await clock.advance(1_000);
        emulator.store.update(lead.id, { title: `Title ${index}` });
      }
      emulator.store.update(lead.id, { firstName: 'Changed' });
      const first = await call(
        'GET',
        `/rest/v1/activities/leadchanges.json?nextPageToken=${since}&fields=firstName&batchSize=3`,
      );
      expect(first.body.result?.map((activity) => activity.activityTypeId)).toEqual([12]);
      expect(first.body.moreResult).toBe(true);
      const second = await call(
        'GET',
        `/rest/v1/activities/leadchanges.json?nextPageToken=${String(first.body.nextPageToken)}&fields=firstName&batchSize=3`,
      );
      expect(second.body.result).toEqual([]);
      expect(second.body.moreResult).toBe(true);
      const third = await call(
        'GET',
        `/rest/v1/activities/leadchanges.json?nextPageToken=${String(second.body.nextPageToken)}&fields=firstName&batchSize=3`,
      );
      expect(third.body.result).toEqual([
        expect.objectContaining({
          leadId: lead.id,
          activityTypeId: 13,
          fields: [{ id: 4, name: 'firstName', newValue: 'Changed', oldValue: firstName }],
        }),
      ]);
      expect(third.body.moreResult).toBe(false);
      expect(
        errorOf(
          (await call('GET', `/rest/v1/activities/leadchanges.json?nextPageToken=${since}`)).body,
        ),
      ).toBe('701');
    });

    it('reports deleted leads, and prunes them after 14 days as Marketo does', async () => {
      const since = await pagingToken('2026-03-01T00:00:00Z');
      const [lead] = emulator.seed(1);
      emulator.store.delete(lead.id);
      const deleted = await call(
        'GET',
        `/rest/v1/activities/deletedleads.json?nextPageToken=${since}`,
      );
      expect(deleted.body.result).toEqual([
        expect.objectContaining({
          leadId: lead.id,
          activityTypeId: 37,
          primaryAttributeValueId: lead.id,
        }),
      ]);
      await clock.advance(15 * 24 * 3_600_000);
      token = await newToken();
      const later = await call(
        'GET',
        `/rest/v1/activities/deletedleads.json?nextPageToken=${since}`,
      );
      expect(later.body.result).toEqual([]);
    });

    it('shows activities only after the configured lag', async () => {
      await emulator.close();
      emulator = await startMarketoEmulator({ clock, activityLagMs: 30_000 });
      token = await newToken();
      const since = await pagingToken(clock.now().toISOString());
      emulator.seed(1);
      const early = await call(
        'GET',
        `/rest/v1/activities/leadchanges.json?nextPageToken=${since}&fields=email`,
      );
      expect(early.body.result).toEqual([]);
      await clock.advance(30_000);
      const late = await call(
        'GET',
        `/rest/v1/activities/leadchanges.json?nextPageToken=${since}&fields=email`,
      );
      expect(late.body.result).toHaveLength(1);
    });
  });

  describe('static lists', () => {
    it('adds, removes and checks members with a status per lead id', async () => {
      const list = emulator.store.createList('Webinar', 'Webinar Program');
      const [one, two] = emulator.seed(2);
      const path = `/rest/v1/lists/${list.id}/leads.json`;
      const added = await call('POST', `${path}?id=${one.id},999`);
      expect(added.body.result).toEqual([
        { id: one.id, status: 'added' },
        { id: 999, status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] },
      ]);
      const member = await call(
        'GET',
        `/rest/v1/lists/${list.id}/leads/ismember.json?id=${one.id}&id=${two.id}`,
      );
      expect(member.body.result).toEqual([
        { id: one.id, status: 'memberof' },
        { id: two.id, status: 'notmemberof' },
      ]);
      const removed = await call('DELETE', path, {
        body: { input: [{ id: one.id }, { id: two.id }] },
      });
      expect(removed.body.result).toEqual([
        { id: one.id, status: 'removed' },
        {
          id: two.id,
          status: 'skipped',
          reasons: [{ code: '1015', message: 'Lead not in list' }],
        },
      ]);
      const lists = await call('GET', '/rest/v1/lists.json?name=Webinar');
      expect(lists.body.result).toEqual([
        expect.objectContaining({ id: list.id, name: 'Webinar', programName: 'Webinar Program' }),
      ]);
      expect(errorOf((await call('GET', '/rest/v1/lists/4242/leads.json')).body)).toBe('1013');
    });
  });

  describe('programs', () => {
    it('moves members forward through the channel statuses, never back (1037), and deletes them', async () => {
      const program = emulator.store.createProgram('Spring webinar', 'Webinar');
      const [one, two] = emulator.seed(2);
      const status = (statusName: string, ids: number[]) =>
        call('POST', `/rest/v1/programs/${program.id}/members/status.json`, {
          body: { statusName, input: ids.map((leadId) => ({ leadId })) },
        });
      const registered = await status('Registered', [one.id, 999]);
      expect(registered.body.result).toEqual([
        { seq: 0, status: 'created', leadId: one.id },
        { seq: 1, status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] },
      ]);
      expect((await status('Attended', [one.id])).body.result).toEqual([
        { seq: 0, status: 'updated', leadId: one.id },
      ]);
      const back = await status('Registered', [one.id]);
      expect(back.body.result).toEqual([
        {
          seq: 0,
          status: 'skipped',
          reasons: [
            { code: '1037', message: 'Lead skipped because it is already in or past this status' },
          ],
        },
      ]);
      expect((await status('Dancing', [two.id])).body.result?.at(0)).toMatchObject({
        status: 'skipped',
        reasons: [{ code: '1025' }],
      });
      const members = await call(
        'GET',
        `/rest/v1/programs/${program.id}/members.json?filterType=statusName&filterValues=Attended,Registered`,
      );
      expect(members.body.result).toEqual([
        expect.objectContaining({ leadId: one.id, statusName: 'Attended', reachedSuccess: true }),
      ]);
      const removed = await call('POST', `/rest/v1/programs/${program.id}/members/delete.json`, {
        body: { input: [{ leadId: one.id }, { leadId: two.id }] },
      });
      expect(removed.body.result).toEqual([
        { seq: 0, status: 'deleted', leadId: one.id },
        { seq: 1, status: 'skipped', reasons: [{ code: '1037', message: 'Lead not in program' }] },
      ]);
      const channels = await call('GET', '/rest/asset/v1/channels.json?name=Webinar');
      expect(channels.body.result?.at(0)?.progressionStatuses).toContainEqual(
        expect.objectContaining({ name: 'Attended', step: 30, success: true }),
      );
      const programs = await call('GET', '/rest/asset/v1/programs.json');
      expect(programs.body.result).toEqual([
        expect.objectContaining({ id: program.id, name: 'Spring webinar', channel: 'Webinar' }),
      ]);
      expect(
        errorOf(
          (await call('GET', '/rest/v1/programs/77/members.json?filterType=leadId&filterValues=1'))
            .body,
        ),
      ).toBe('1013');
    });
  });

  describe('limits', () => {
    it('refuses the 101st call in 20 seconds with 606, uncounted, and lets calls in once the window moves on', async () => {
      for (let index = 0; index < 100; index++)
        expect((await call('GET', '/rest/v1/leads/describe2.json')).body.success).toBe(true);
      const refused = await call('GET', '/rest/v1/leads/describe2.json');
      expect(refused).toMatchObject({ status: 200, body: { success: false } });
      expect(errorOf(refused.body)).toBe('606');
      expect(emulator.limits.usedToday).toBe(100);
      await clock.advance(20_001);
      expect((await call('GET', '/rest/v1/leads/describe2.json')).body.success).toBe(true);
    });

    it('refuses calls past the daily quota with 607 until midnight US Central time', async () => {
      await emulator.close();
      emulator = await startMarketoEmulator({ clock, limits: { dailyQuota: 3 } });
      token = await newToken();
      for (let index = 0; index < 3; index++) await call('GET', '/rest/v1/leads/describe2.json');
      expect(errorOf((await call('GET', '/rest/v1/leads/describe2.json')).body)).toBe('607');
      // 15:00 UTC on 2 March; the quota day turns at 06:00 UTC (00:00 CST).
      await clock.advance(14 * 3_600_000);
      token = await newToken();
      expect(errorOf((await call('GET', '/rest/v1/leads/describe2.json')).body)).toBe('607');
      await clock.advance(3_600_000);
      token = await newToken();
      expect((await call('GET', '/rest/v1/leads/describe2.json')).body.success).toBe(true);
    });

    it('refuses an eleventh call in flight with 615', async () => {
      await emulator.close();
      emulator = await startMarketoEmulator({ clock, limits: { concurrency: 2 } });
      token = await newToken();
      emulator.faults.latencyMs = 200;
      const answers = await Promise.all(
        Array.from({ length: 3 }, () => call('GET', '/rest/v1/leads/describe2.json')),
      );
      expect(answers.map((answer) => errorOf(answer.body) ?? 'ok').sort()).toEqual([
        '615',
        'ok',
        'ok',
      ]);
    });
  });

  it('lets two closely timed upserts of one new email both create a lead, as Marketo warns', async () => {
    await emulator.close();
    emulator = await startMarketoEmulator({ clock, upsertRaceMs: 100 });
    token = await newToken();
    const upsert = () =>
      call('POST', '/rest/v1/leads.json', {
        body: { action: 'createOrUpdate', input: [{ email: 'race@example.com' }] },
      });
    const answers = await Promise.all([upsert(), upsert()]);
    expect(answers.map((answer) => answer.body.result?.at(0)?.status)).toEqual([
      'created',
      'created',
    ]);
    expect(emulator.store.find('email', ['race@example.com'])).toHaveLength(2);
  });
});
