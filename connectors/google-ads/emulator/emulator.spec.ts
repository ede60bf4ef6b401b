/**
 * The Google Ads emulator refuses what Google refuses: a call without a valid access token or
 * developer token, a client customer reached without its manager, more than 2,000 conversions, a
 * conversion already held (by click and time, or by order id), an unhashed identifier, operations
 * added to a job that started; it runs offline user data jobs PENDING → RUNNING → SUCCESS and
 * answers RESOURCE_EXHAUSTED once the developer token's daily operations are spent.
 */
import { FakeClock } from '../../sdk/clock';
import { sha256Hex } from '../../sdk/normalize';
import {
  type GoogleAdsEmulator,
  TEST_CLIENT,
  TEST_DEVELOPER_TOKEN,
  TEST_REFRESH_TOKEN,
  parseConversionDateTime,
  startGoogleAdsEmulator,
} from './index';

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

describe('Google Ads emulator', () => {
  let emulator: GoogleAdsEmulator;
  let clock: FakeClock;
  let customer: string;
  let action: string;
  let token: string;
  beforeEach(async () => {
    clock = new FakeClock({ start: '2026-11-10T12:00:00Z' });
    emulator = await startGoogleAdsEmulator({ clock });
    customer = emulator.store.createCustomer('Acme', { id: '1234567890' }).id;
    action = emulator.store.createConversionAction(customer, 'Closed won').id;
    const granted = await fetch(`${emulator.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: TEST_CLIENT.id,
        client_secret: TEST_CLIENT.secret,
        refresh_token: TEST_REFRESH_TOKEN,
      }),
    });
    const answer = (await granted.json()) as { access_token: string; expires_in: number };
    expect(answer.expires_in).toBe(3599);
    token = answer.access_token;
  });
  afterEach(() => emulator.close());

  async function call(
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    const response = await fetch(`${emulator.url}/v25/customers/${customer}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'developer-token': TEST_DEVELOPER_TOKEN,
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  const storedCustomer = () => {
    const stored = emulator.store.customers.get(customer);
    if (stored === undefined) throw new Error('no customer');
    return stored;
  };

  const codeOf = (reply: Reply): unknown =>
    (reply.body as { error?: { details?: { errors?: { errorCode?: unknown }[] }[] } }).error
      ?.details?.[0]?.errors?.[0]?.errorCode;

  const conversion = (extra: Record<string, unknown>) => ({
    conversionAction: `customers/${customer}/conversionActions/${action}`,
    conversionDateTime: '2026-11-09 10:00:00+00:00',
    conversionValue: 120,
    currencyCode: 'USD',
    ...extra,
  });

  it('refuses a revoked refresh token, a missing developer token and a bad access token', async () => {
    const refused = await fetch(`${emulator.url}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: TEST_CLIENT.id,
        client_secret: TEST_CLIENT.secret,
        refresh_token: 'revoked',
      }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: 'invalid_grant' });
    const query = { query: 'SELECT customer.id FROM customer' };
    const noDeveloper = await call('/googleAds:search', query, { 'developer-token': '' });
    expect(noDeveloper.status).toBe(400);
    expect(codeOf(noDeveloper)).toEqual({ requestError: 'DEVELOPER_TOKEN_PARAMETER_MISSING' });
    const badToken = await call('/googleAds:search', query, { authorization: 'Bearer nope' });
    expect(badToken.status).toBe(401);
    expect(codeOf(badToken)).toEqual({ authenticationError: 'OAUTH_TOKEN_INVALID' });
  });

  it('needs login-customer-id for a client reached through its manager', async () => {
    const stored = storedCustomer();
    stored.throughManagerOnly = true;
    stored.managers.add('9999999999');
    const query = { query: 'SELECT customer.id FROM customer' };
    expect(codeOf(await call('/googleAds:search', query))).toEqual({
      authorizationError: 'USER_PERMISSION_DENIED',
    });
    const dashed = await call('/googleAds:search', query, { 'login-customer-id': '999-999-9999' });
    expect(codeOf(dashed)).toEqual({ headerError: 'INVALID_LOGIN_CUSTOMER_ID' });
    const managed = await call('/googleAds:search', query, { 'login-customer-id': '9999999999' });
    expect(managed.body).toMatchObject({ results: [{ customer: { id: customer } }] });
  });

  it('keeps each conversion once, failing the others at their index under partial failure', async () => {
    const gclid = 'Cj0KCQiA-test-click-0001';
    const first = await call(':uploadClickConversions', {
      conversions: [conversion({ gclid, orderId: 'o-1' })],
      partialFailure: true,
    });
    expect(first.status).toBe(200);
    expect(first.body.results).toEqual([expect.objectContaining({ gclid }) as unknown]);
    const again = await call(':uploadClickConversions', {
      conversions: [
        conversion({ gclid, orderId: 'o-2' }),
        conversion({ gclid: 'Cj0KCQiA-test-click-0002', orderId: 'o-1' }),
        conversion({ gclid: 'not a gclid!' }),
        conversion({ userIdentifiers: [{ hashedEmail: 'ada@example.com' }] }),
        conversion({ userIdentifiers: [{ hashedEmail: sha256Hex('ada@example.com') }] }),
      ],
      partialFailure: true,
    });
    const errors = (
      again.body.partialFailureError as {
        details: { errors: { errorCode: unknown; location: { fieldPathElements: unknown[] } }[] }[];
      }
    ).details.at(0)?.errors;
    expect(errors?.map((entry) => [entry.errorCode, entry.location.fieldPathElements[0]])).toEqual([
      [
        { conversionUploadError: 'CLICK_CONVERSION_ALREADY_EXISTS' },
        { fieldName: 'conversions', index: 0 },
      ],
      [
        { conversionUploadError: 'ORDER_ID_ALREADY_IN_USE' },
        { fieldName: 'conversions', index: 1 },
      ],
      [{ conversionUploadError: 'UNPARSEABLE_GCLID' }, { fieldName: 'conversions', index: 2 }],
      [
        { conversionUploadError: 'INVALID_USER_IDENTIFIER' },
        { fieldName: 'conversions', index: 3 },
      ],
    ]);
    expect((again.body.results as unknown[]).slice(0, 4)).toEqual([{}, {}, {}, {}]);
    expect(emulator.store.conversions).toHaveLength(2);
    const tooMany = await call(':uploadClickConversions', {
      conversions: Array.from({ length: 2001 }, (_, n) => conversion({ orderId: `x${String(n)}` })),
      partialFailure: true,
    });
    expect(codeOf(tooMany)).toEqual({ conversionUploadError: 'TOO_MANY_CONVERSIONS_IN_REQUEST' });
  });

  it('refuses identifiers until the customer data terms are accepted, and young conversion actions', async () => {
    storedCustomer().acceptedCustomerDataTerms = false;
    const fresh = emulator.store.createConversionAction(customer, 'New', {
      createdAt: clock.now().getTime(),
    });
    const reply = await call(':uploadClickConversions', {
      conversions: [
        conversion({ userIdentifiers: [{ hashedEmail: sha256Hex('ada@example.com') }] }),
        conversion({
          gclid: 'Cj0KCQiA-test-click-0003',
          conversionAction: `customers/${customer}/conversionActions/${fresh.id}`,
        }),
      ],
      partialFailure: true,
    });
    const codes = (
      reply.body.partialFailureError as { details: { errors: { errorCode: unknown }[] }[] }
    ).details[0]?.errors.map((entry) => entry.errorCode);
    expect(codes).toEqual([
      { conversionUploadError: 'CUSTOMER_NOT_ACCEPTED_CUSTOMER_DATA_TERMS' },
      { conversionUploadError: 'TOO_RECENT_CONVERSION_ACTION' },
    ]);
  });

  it('runs a Customer Match job PENDING → RUNNING → SUCCESS and changes the list only then', async () => {
    const created = await call('/userLists:mutate', {
      operations: [
        { create: { name: 'Customers', crmBasedUserList: { uploadKeyType: 'CONTACT_INFO' } } },
      ],
    });
    const list = (created.body.results as { resourceName: string }[])[0]?.resourceName ?? '';
    const job = await call('/offlineUserDataJobs:create', {
      job: { type: 'CUSTOMER_MATCH_USER_LIST', customerMatchUserListMetadata: { userList: list } },
    });
    const name = String(job.body.resourceName);
    const jobPath = `/${name.split('/').slice(2).join('/')}`;
    const emails = ['a@example.com', 'b@example.com'].map((email) => sha256Hex(email));
    const added = await call(`${jobPath}:addOperations`, {
      enablePartialFailure: true,
      operations: [
        ...emails.map((hashedEmail) => ({ create: { userIdentifiers: [{ hashedEmail }] } })),
        { create: { userIdentifiers: [{ hashedEmail: 'c@example.com' }] } },
      ],
    });
    expect(added.body.partialFailureError).toBeDefined();
    const status = async () =>
      (
        await call('/googleAds:search', {
          query: `SELECT offline_user_data_job.status, offline_user_data_job.operation_metadata.match_rate_range FROM offline_user_data_job WHERE offline_user_data_job.id = ${name.split('/').at(-1) ?? ''}`,
        })
      ).body.results;
    expect(await status()).toEqual([
      {
        offlineUserDataJob: {
          status: 'PENDING',
          operationMetadata: { matchRateRange: 'UNSPECIFIED' },
        },
      },
    ]);
    expect((await call(`${jobPath}:run`, {})).body).toMatchObject({ done: false });
    expect(
      codeOf(await call(`${jobPath}:addOperations`, { operations: [{ removeAll: true }] })),
    ).toEqual({
      offlineUserDataJobError: 'JOB_ALREADY_STARTED',
    });
    expect(await status()).toEqual([
      expect.objectContaining({
        offlineUserDataJob: expect.objectContaining({ status: 'RUNNING' }) as unknown,
      }) as unknown,
    ]);
    expect(emulator.store.userLists.get(list.split('/').at(-1) ?? '')?.members.size).toBe(0);
    await clock.advance(emulator.store.processingMs);
    expect(await status()).toEqual([
      {
        offlineUserDataJob: {
          status: 'SUCCESS',
          operationMetadata: { matchRateRange: expect.stringMatching(/^MATCH_RANGE_/) as unknown },
        },
      },
    ]);
    expect(emulator.store.userLists.get(list.split('/').at(-1) ?? '')?.members).toEqual(
      new Set(emails.map((hash) => `email:${hash}`)),
    );
  });

  it('answers RESOURCE_EXHAUSTED with a retry delay once the daily operations are spent', async () => {
    emulator.store.developerTokens.set(TEST_DEVELOPER_TOKEN, 'EXPLORER');
    emulator.store.spend(TEST_DEVELOPER_TOKEN, 2_880);
    const reply = await call('/googleAds:search', { query: 'SELECT customer.id FROM customer' });
    expect(reply.status).toBe(429);
    expect(reply.body).toMatchObject({ error: { status: 'RESOURCE_EXHAUSTED' } });
    expect(codeOf(reply)).toEqual({ quotaError: 'RESOURCE_EXHAUSTED' });
    await clock.advance(24 * 3600 * 1000 + 1000);
    // An hour-long access token has long expired: a new one (as the connector would grant).
    emulator.store.accessTokens.set(token, clock.now().getTime() + 3_600_000);
    expect(
      (await call('/googleAds:search', { query: 'SELECT customer.id FROM customer' })).status,
    ).toBe(200);
  });

  it('parses conversion date times with their offset, and refuses others', () => {
    expect(parseConversionDateTime('2026-11-09 10:00:00-08:00')).toBe(
      Date.parse('2026-11-09T18:00:00Z'),
    );
    expect(parseConversionDateTime('2026-11-09T10:00:00Z')).toBeUndefined();
    expect(parseConversionDateTime('2026-02-30 10:00:00+00:00')).toBeUndefined();
  });
});
