/** The emulator's wire protocol, checked with plain fetch against HubSpot's documented shapes. */
import { FakeClock } from '../../sdk/clock';
import {
  DEFAULT_PRIVATE_APP_TOKEN,
  type HubSpotEmulator,
  type HubSpotEmulatorOptions,
  startHubSpotEmulator,
} from '.';

interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function call(
  emulator: HubSpotEmulator,
  method: string,
  path: string,
  body?: unknown,
  token = DEFAULT_PRIVATE_APP_TOKEN,
): Promise<Reply> {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

const search = (emulator: HubSpotEmulator, body: unknown): Promise<Reply> =>
  call(emulator, 'POST', '/crm/v3/objects/contacts/search', body);

describe('HubSpot emulator', () => {
  let clock: FakeClock;
  let emulator: HubSpotEmulator;
  const start = async (options: HubSpotEmulatorOptions = {}): Promise<HubSpotEmulator> => {
    clock = new FakeClock();
    emulator = await startHubSpotEmulator({
      clock,
      oauthApps: [{ clientId: 'app', clientSecret: 'secret' }],
      ...options,
    });
    return emulator;
  };

  afterEach(async () => {
    await emulator.close();
  });

  describe('auth', () => {
    beforeEach(() => start());

    it('answers a bad token with 401 and HubSpot body', async () => {
      const reply = await call(emulator, 'GET', '/crm/v3/objects/contacts', undefined, 'wrong');
      expect(reply.status).toBe(401);
      expect(reply.body).toMatchObject({
        status: 'error',
        category: 'INVALID_AUTHENTICATION',
        message: expect.stringContaining('Authentication credentials not found') as string,
        correlationId: expect.any(String) as string,
      });
    });

    it('refreshes OAuth tokens with a form-encoded refresh_token grant; access tokens expire', async () => {
      const installed = emulator.auth.install('app');
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: 'app',
        client_secret: 'secret',
        refresh_token: installed.refreshToken,
      });
      const refreshed = await fetch(`${emulator.url}/oauth/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      });
      const tokens = (await refreshed.json()) as Record<string, unknown>;
      expect(tokens).toMatchObject({
        token_type: 'bearer',
        expires_in: 1800,
        refresh_token: installed.refreshToken,
      });
      const token = String(tokens['access_token']);
      expect(
        (await call(emulator, 'GET', '/crm/v3/objects/contacts', undefined, token)).status,
      ).toBe(200);
      await clock.advance(1_800_000);
      const expired = await call(emulator, 'GET', '/crm/v3/objects/contacts', undefined, token);
      expect(expired.status).toBe(401);
      expect(expired.body['category']).toBe('EXPIRED_AUTHENTICATION');

      form.set('refresh_token', 'unknown');
      const refused = await fetch(`${emulator.url}/oauth/v1/token`, { method: 'POST', body: form });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ status: 'BAD_REFRESH_TOKEN' });
    });

    it('installs through the authorize page: a code once, for its redirect URI, within 10 minutes', async () => {
      const redirect = 'https://syncline.example.com/console/oauth/callback';
      const authorize = new URL(`${emulator.url}/oauth/authorize`);
      authorize.search = new URLSearchParams({
        client_id: 'app',
        redirect_uri: redirect,
        scope: 'oauth crm.objects.contacts.read',
        state: 's1',
      }).toString();
      const page = await fetch(authorize);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('crm.objects.contacts.read');
      const unknownApp = new URL(authorize);
      unknownApp.searchParams.set('client_id', 'nobody');
      expect((await fetch(unknownApp)).status).toBe(400);

      const decide = new URL(`${emulator.url}/oauth/authorize/decision`);
      decide.search = authorize.search;
      decide.searchParams.set('decision', 'allow');
      const codeFor = async (): Promise<string> => {
        const back = await fetch(decide, { redirect: 'manual' });
        expect(back.status).toBe(302);
        const location = new URL(back.headers.get('location') ?? '');
        expect(location.searchParams.get('state')).toBe('s1');
        return location.searchParams.get('code') ?? '';
      };
      const redeem = (code: string, redirectUri = redirect): Promise<Response> =>
        fetch(`${emulator.url}/oauth/v1/token`, {
          method: 'POST',
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            client_id: 'app',
            client_secret: 'secret',
            redirect_uri: redirectUri,
            code,
          }),
        });

      const code = await codeFor();
      const granted = await redeem(code);
      expect(granted.status).toBe(200);
      const tokens = (await granted.json()) as Record<string, unknown>;
      expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 1800 });
      const token = String(tokens['access_token']);
      expect(
        (await call(emulator, 'GET', '/crm/v3/objects/contacts', undefined, token)).status,
      ).toBe(200);
      const reused = await redeem(code);
      expect(reused.status).toBe(400);
      expect(await reused.json()).toMatchObject({ status: 'BAD_AUTH_CODE' });

      const elsewhere = await redeem(await codeFor(), 'https://elsewhere.example.com/cb');
      expect(await elsewhere.json()).toMatchObject({ status: 'BAD_REDIRECT_URI' });

      const late = await codeFor();
      await clock.advance(10 * 60_000);
      expect(await (await redeem(late)).json()).toMatchObject({ status: 'BAD_AUTH_CODE' });

      decide.searchParams.set('decision', 'deny');
      const denied = await fetch(decide, { redirect: 'manual' });
      expect(new URL(denied.headers.get('location') ?? '').searchParams.get('error')).toBe(
        'access_denied',
      );
    });
  });

  describe('rate limits', () => {
    it('refuses the call past the 10-second window with 429, the RATE_LIMIT body and the headers', async () => {
      await start({ rateLimits: { intervalMax: 3 } });
      const first = await call(emulator, 'GET', '/crm/v3/objects/contacts');
      expect(first.headers.get('x-hubspot-ratelimit-max')).toBe('3');
      expect(first.headers.get('x-hubspot-ratelimit-remaining')).toBe('2');
      expect(first.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
      expect(first.headers.get('x-hubspot-ratelimit-daily')).toBe('625000');
      expect(first.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('624999');
      expect(first.headers.get('x-hubspot-ratelimit-secondly')).not.toBeNull();
      expect(first.headers.get('x-hubspot-ratelimit-secondly-remaining')).not.toBeNull();
      await call(emulator, 'GET', '/crm/v3/objects/contacts');
      await call(emulator, 'GET', '/crm/v3/objects/contacts');
      const refused = await call(emulator, 'GET', '/crm/v3/objects/contacts');
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({
        status: 'error',
        errorType: 'RATE_LIMIT',
        policyName: 'TEN_SECONDLY_ROLLING',
        message: 'You have reached your ten_secondly_rolling limit.',
      });
      expect(refused.body['requestId']).toEqual(expect.any(String));
      expect(refused.body['correlationId']).toEqual(expect.any(String));
      // The headers agree with the refusal and with each other.
      expect(refused.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
      expect(refused.headers.get('x-hubspot-ratelimit-secondly-remaining')).toBe('0');
      await clock.advance(10_000);
      expect((await call(emulator, 'GET', '/crm/v3/objects/contacts')).status).toBe(200);
    });

    it('limits searches per second (SECONDLY) and calls per day (DAILY)', async () => {
      await start({ rateLimits: { daily: 6 } });
      for (let i = 0; i < 4; i++) expect((await search(emulator, {})).status).toBe(200);
      const fifth = await search(emulator, {});
      expect(fifth.status).toBe(429);
      expect(fifth.body['policyName']).toBe('SECONDLY');
      await clock.advance(1_000);
      expect((await search(emulator, {})).status).toBe(200);
      expect((await call(emulator, 'GET', '/crm/v3/objects/contacts')).status).toBe(200);
      const daily = await call(emulator, 'GET', '/crm/v3/objects/contacts');
      expect(daily.status).toBe(429);
      expect(daily.body).toMatchObject({
        policyName: 'DAILY',
        message: 'You have reached your daily limit.',
      });
      for (const header of ['daily-remaining', 'remaining', 'secondly-remaining'])
        expect(daily.headers.get(`x-hubspot-ratelimit-${header}`)).toBe('0');
    });
  });

  describe('search', () => {
    beforeEach(async () => {
      await start();
      emulator.store.insert('contacts', {
        email: 'ada@example.com',
        firstname: 'Ada',
        annualrevenue: '10',
      });
      await clock.advance(1_000);
      emulator.store.insert('contacts', {
        email: 'alan@example.com',
        firstname: 'Alan',
        annualrevenue: '20',
      });
      await clock.advance(1_000);
      emulator.store.insert('contacts', {
        email: 'grace@example.com',
        firstname: 'Grace Brewster',
      });
    });

    const emails = (reply: Reply): unknown[] =>
      (reply.body['results'] as Array<{ properties: Record<string, unknown> }>).map(
        (r) => r.properties['email'],
      );

    it('ORs groups, ANDs filters, and knows the operators', async () => {
      const reply = await search(emulator, {
        filterGroups: [
          { filters: [{ propertyName: 'annualrevenue', operator: 'GTE', value: '15' }] },
          {
            filters: [
              { propertyName: 'firstname', operator: 'CONTAINS_TOKEN', value: 'brew*' },
              { propertyName: 'annualrevenue', operator: 'NOT_HAS_PROPERTY' },
            ],
          },
        ],
        sorts: [{ propertyName: 'email', direction: 'DESCENDING' }],
        properties: ['email'],
      });
      expect(reply.status).toBe(200);
      expect(reply.body['total']).toBe(2);
      expect(emails(reply)).toEqual(['grace@example.com', 'alan@example.com']);
      const inReply = await search(emulator, {
        filterGroups: [
          {
            filters: [
              {
                propertyName: 'email',
                operator: 'IN',
                values: ['ada@example.com', 'grace@example.com'],
              },
              { propertyName: 'firstname', operator: 'NEQ', value: 'Ada' },
            ],
          },
        ],
      });
      expect(emails(inReply)).toEqual(['grace@example.com']);
      const results = inReply.body['results'] as Array<{ properties: Record<string, unknown> }>;
      // Values are strings on the wire; default contact properties come back.
      expect(Object.keys(results[0]?.properties ?? {}).sort()).toEqual(
        ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'].sort(),
      );
      expect(typeof results[0]?.properties['hs_object_id']).toBe('string');
    });

    it('pages with after and reports the total', async () => {
      const first = await search(emulator, { limit: 2 });
      expect(first.body).toMatchObject({ total: 3, paging: { next: { after: '2' } } });
      const second = await search(emulator, { limit: 2, after: '2' });
      expect(emails(second)).toEqual(['grace@example.com']);
      expect(second.body['paging']).toBeUndefined();
    });

    it('enforces the documented limits with 400', async () => {
      const filter = { propertyName: 'email', operator: 'HAS_PROPERTY' };
      const refused = async (body: unknown): Promise<void> => {
        await clock.advance(1_000); // stays under the search limit of 4 per second
        const reply = await search(emulator, body);
        expect(reply.status).toBe(400);
        expect(reply.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
      };
      // Since August 26, 2024: 5 groups, 10 filters per group, 25 in all.
      await refused({ filterGroups: Array.from({ length: 6 }, () => ({ filters: [filter] })) });
      await refused({ filterGroups: [{ filters: Array.from({ length: 11 }, () => filter) }] });
      await refused({
        filterGroups: Array.from({ length: 3 }, () => ({
          filters: Array.from({ length: 9 }, () => filter),
        })),
      });
      await refused({ limit: 201 });
      await refused({ after: '10000' });
      await refused({
        filterGroups: [{ filters: [{ propertyName: 'nope', operator: 'EQ', value: 'x' }] }],
      });
      await clock.advance(1_000);
      expect(
        (
          await search(emulator, {
            filterGroups: [
              { filters: Array.from({ length: 10 }, () => filter) },
              { filters: Array.from({ length: 10 }, () => filter) },
              { filters: Array.from({ length: 5 }, () => filter) },
            ],
          })
        ).status,
      ).toBe(200);
    });

    it('lags writes by the configured delay', async () => {
      emulator.store.searchLagMs = 2_000;
      emulator.store.insert('contacts', { email: 'late@example.com' });
      expect((await search(emulator, {})).body['total']).toBe(3);
      await clock.advance(2_000);
      expect((await search(emulator, {})).body['total']).toBe(4);
    });
  });

  describe('objects and batches', () => {
    beforeEach(() => start());

    it('creates, reads, updates (bumping lastmodifieddate) and archives one record', async () => {
      const created = await call(emulator, 'POST', '/crm/v3/objects/contacts', {
        properties: { email: 'one@example.com' },
      });
      expect(created.status).toBe(201);
      const id = String(created.body['id']);
      expect(created.body['properties']).toMatchObject({
        hs_object_id: id,
        email: 'one@example.com',
      });
      const duplicate = await call(emulator, 'POST', '/crm/v3/objects/contacts', {
        properties: { email: 'ONE@example.com' },
      });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body).toMatchObject({
        category: 'CONFLICT',
        message: `Contact already exists. Existing ID: ${id}`,
      });
      await clock.advance(5_000);
      const patched = await call(emulator, 'PATCH', `/crm/v3/objects/contacts/${id}`, {
        properties: { firstname: 'One' },
      });
      expect(patched.body['properties']).toMatchObject({
        lastmodifieddate: clock.now().toISOString(),
      });
      const fetched = await call(
        emulator,
        'GET',
        `/crm/v3/objects/contacts/${id}?properties=firstname`,
      );
      expect(fetched.body['properties']).toMatchObject({ firstname: 'One' });
      expect((await call(emulator, 'DELETE', `/crm/v3/objects/contacts/${id}`)).status).toBe(204);
      expect((await call(emulator, 'GET', `/crm/v3/objects/contacts/${id}`)).status).toBe(404);
      const archived = await call(emulator, 'GET', '/crm/v3/objects/contacts?archived=true');
      expect(archived.body['results']).toEqual([expect.objectContaining({ id, archived: true })]);
      const company = await call(emulator, 'POST', '/crm/v3/objects/companies', {
        properties: { name: 'Acme' },
      });
      expect(company.body['properties']).toHaveProperty('hs_lastmodifieddate');
    });

    it('decodes path segments, as the official SDK encodes ids (jane%40example.com)', async () => {
      const created = await call(emulator, 'POST', '/crm/v3/objects/contacts', {
        properties: { email: 'jane@example.com', firstname: 'Jane' },
      });
      const byEmail = await call(
        emulator,
        'GET',
        '/crm/v3/objects/contacts/jane%40example.com?idProperty=email&properties=firstname',
      );
      expect(byEmail.status).toBe(200);
      expect(byEmail.body).toMatchObject({
        id: created.body['id'],
        properties: { firstname: 'Jane' },
      });
      const patched = await call(
        emulator,
        'PATCH',
        '/crm/v3/objects/contacts/jane%40example.com?idProperty=email',
        { properties: { firstname: 'Janet' } },
      );
      expect(patched.status).toBe(200);
      expect((await call(emulator, 'GET', '/crm/v3/objects/contacts/%E0%A4%A')).status).toBe(400);
    });

    it('creates two companies with one domain, which is no id property', async () => {
      const first = await call(emulator, 'POST', '/crm/v3/objects/companies', {
        properties: { name: 'Acme', domain: 'acme.example' },
      });
      const second = await call(emulator, 'POST', '/crm/v3/objects/companies', {
        properties: { name: 'Acme EU', domain: 'acme.example' },
      });
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(second.body['id']).not.toBe(first.body['id']);
      const byDomain = await call(
        emulator,
        'GET',
        '/crm/v3/objects/companies/acme.example?idProperty=domain',
      );
      expect(byDomain.status).toBe(400);
      expect(byDomain.body).toMatchObject({ category: 'VALIDATION_ERROR' });
      const upsert = await call(emulator, 'POST', '/crm/v3/objects/companies/batch/upsert', {
        inputs: [{ id: 'acme.example', idProperty: 'domain', properties: { name: 'A' } }],
      });
      expect(upsert.status).toBe(400);
      const properties = await call(emulator, 'GET', '/crm/v3/properties/companies');
      const domain = (properties.body['results'] as Array<Record<string, unknown>>).find(
        (property) => property['name'] === 'domain',
      );
      expect(domain).toMatchObject({ hasUniqueValue: false });
    });

    it('takes object type ids (0-1 contacts, 0-2 companies, 0-3 deals) wherever names go', async () => {
      const company = await call(emulator, 'POST', '/crm/v3/objects/0-2', {
        properties: { name: 'Acme' },
      });
      expect(company.status).toBe(201);
      const id = String(company.body['id']);
      expect((await call(emulator, 'GET', `/crm/v3/objects/companies/${id}`)).status).toBe(200);
      expect((await call(emulator, 'GET', `/crm/v3/objects/0-2/${id}`)).status).toBe(200);
      const contacts = await call(emulator, 'GET', '/crm/v3/objects/0-1?limit=1');
      expect(contacts.status).toBe(200);
      const properties = await call(emulator, 'GET', '/crm/v3/properties/0-3');
      expect(properties.status).toBe(200);
      expect((await call(emulator, 'GET', '/crm/v3/objects/0-99')).status).toBe(400);
    });

    it('answers a partly failed batch with 207, errors and numErrors', async () => {
      const reply = await call(emulator, 'POST', '/crm/v3/objects/contacts/batch/create', {
        inputs: [
          { properties: { email: 'ok@example.com' }, objectWriteTraceId: 't0' },
          { properties: { email: 'bad', lifecyclestage: 'nope' }, objectWriteTraceId: 't1' },
        ],
      });
      expect(reply.status).toBe(207);
      expect(reply.body).toMatchObject({
        status: 'COMPLETE',
        numErrors: 1,
        startedAt: expect.any(String) as string,
      });
      expect(reply.body['completedAt']).toEqual(expect.any(String));
      const [error] = reply.body['errors'] as Array<Record<string, unknown>>;
      expect(error).toMatchObject({
        status: 'error',
        category: 'VALIDATION_ERROR',
        context: { objectWriteTraceId: ['t1'] },
        links: {},
      });
      expect(
        (error['errors'] as Array<{ code: string }>).map((detail) => detail.code).sort(),
      ).toEqual(['INVALID_EMAIL', 'INVALID_OPTION']);
      const tooMany = await call(emulator, 'POST', '/crm/v3/objects/contacts/batch/upsert', {
        inputs: Array.from({ length: 101 }, (_, i) => ({
          id: `${i}@x.io`,
          idProperty: 'email',
          properties: {},
        })),
      });
      expect(tooMany.status).toBe(400);
      const read = await call(emulator, 'POST', '/crm/v3/objects/contacts/batch/read', {
        idProperty: 'email',
        inputs: [{ id: 'ok@example.com' }, { id: 'missing@example.com' }],
        properties: ['email'],
      });
      expect(read.status).toBe(207);
      expect(read.body['errors']).toEqual([
        expect.objectContaining({
          category: 'OBJECT_NOT_FOUND',
          context: { ids: ['missing@example.com'] },
        }),
      ]);
    });

    it('lists properties with types, options, read-only and unique flags', async () => {
      const reply = await call(emulator, 'GET', '/crm/v3/properties/contacts');
      const properties = reply.body['results'] as Array<Record<string, unknown>>;
      const named = (name: string) => properties.find((property) => property['name'] === name);
      expect(named('email')).toMatchObject({
        type: 'string',
        fieldType: 'text',
        hasUniqueValue: true,
      });
      expect(named('hs_object_id')).toMatchObject({
        modificationMetadata: { readOnlyValue: true },
      });
      expect(named('interests')).toMatchObject({ type: 'enumeration', fieldType: 'checkbox' });
      expect((named('lifecyclestage')?.['options'] as unknown[]).length).toBeGreaterThan(3);
    });

    it('pages lists by after, up to 100 per page', async () => {
      emulator.seed('contacts', 5);
      const first = await call(emulator, 'GET', '/crm/v3/objects/contacts?limit=3');
      const after = (first.body['paging'] as { next: { after: string } }).next.after;
      const second = await call(emulator, 'GET', `/crm/v3/objects/contacts?limit=3&after=${after}`);
      expect((second.body['results'] as unknown[]).length).toBe(2);
      expect((await call(emulator, 'GET', '/crm/v3/objects/contacts?limit=101')).status).toBe(400);
    });
  });

  describe('faults, counters and the generator', () => {
    beforeEach(() => start());

    it('carries out a call whose answer is lost, answering 502', async () => {
      emulator.faults.next('answer_lost');
      const lost = await call(emulator, 'POST', '/crm/v3/objects/contacts', {
        properties: { email: 'lost@example.com' },
      });
      expect(lost.status).toBe(502);
      expect(emulator.store.findBy('contacts', 'email', 'lost@example.com')).toBeDefined();
    });

    it('injects 429 with Retry-After and 5xx, and counts calls per endpoint', async () => {
      emulator.faults.next('rate_limited', { retryAfterSeconds: 3 });
      emulator.faults.next('server_error', { status: 503 });
      const limited = await call(emulator, 'GET', '/crm/v3/objects/contacts');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('3');
      expect((await call(emulator, 'GET', '/crm/v3/objects/contacts/10000001')).status).toBe(503);
      expect((await call(emulator, 'GET', '/crm/v3/objects/contacts/10000001')).status).toBe(404);
      expect(emulator.counters.byEndpoint()).toEqual({
        'GET /crm/v3/objects/contacts': 1,
        'GET /crm/v3/objects/contacts/:id': 2,
      });
    });

    it('generates the same records from the same seed', async () => {
      const other = await startHubSpotEmulator({ clock, seed: 1 });
      try {
        const mine = emulator.seed('contacts', 3).map((record) => record.properties['email']);
        const theirs = other.seed('contacts', 3).map((record) => record.properties['email']);
        expect(mine).toEqual(theirs);
      } finally {
        await other.close();
      }
    });
  });
});
