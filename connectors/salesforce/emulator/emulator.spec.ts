import { FakeClock } from '../../sdk/clock';
import { readCsvRecords } from '../csv';
import { toId18 } from '../ids';
import { generateContacts } from './generator';
import { type SalesforceEmulator, startSalesforceEmulator } from './server';

describe('Salesforce emulator (wire level)', () => {
  let emulator: SalesforceEmulator;
  let clock: FakeClock;
  const api = (path: string): string => `${emulator.url}/services/data/v59.0${path}`;
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; headers: Headers; body: unknown; text: string }> => {
    const response = await fetch(path.startsWith('http') ? path : api(path), {
      method,
      headers: {
        authorization: `Bearer ${emulator.accessToken}`,
        ...(body === undefined
          ? {}
          : { 'content-type': typeof body === 'string' ? 'text/csv' : 'application/json' }),
        ...headers,
      },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    const isJson = (response.headers.get('content-type') ?? '').includes('json');
    return {
      status: response.status,
      headers: response.headers,
      body: isJson ? (JSON.parse(text) as unknown) : text,
      text,
    };
  };
  const query = (soql: string, all = false) =>
    call('GET', `/${all ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`);

  beforeEach(async () => {
    clock = new FakeClock({ start: '2024-05-01T10:00:00.250Z' });
    emulator = await startSalesforceEmulator({ clock, dailyApiLimit: 1_000 });
  });

  afterEach(async () => {
    await emulator.close();
  });

  it('answers queries in batches of 2,000 and follows nextRecordsUrl', async () => {
    for (const fields of generateContacts(4_500, 7)) emulator.store.create('Contact', fields);
    const first = await query('SELECT Id, Email, SystemModstamp FROM Contact ORDER BY Id');
    expect(first.status).toBe(200);
    expect(first.headers.get('sforce-limit-info')).toBe('api-usage=1/1000');
    const body = first.body as {
      totalSize: number;
      done: boolean;
      nextRecordsUrl: string;
      records: Record<string, unknown>[];
    };
    expect(body).toMatchObject({ totalSize: 4_500, done: false });
    expect(body.records).toHaveLength(2_000);
    expect(body.nextRecordsUrl).toMatch(/^\/services\/data\/v59\.0\/query\/01g\w+-2000$/);
    expect(body.records[0]).toEqual({
      attributes: {
        type: 'Contact',
        url: expect.stringMatching(
          /^\/services\/data\/v59\.0\/sobjects\/Contact\/003\w{15}$/,
        ) as unknown,
      },
      Id: expect.stringMatching(/^003\w{15}$/) as unknown,
      Email: expect.stringContaining('@example.com') as unknown,
      SystemModstamp: '2024-05-01T10:00:00.000+0000',
    });
    const second = (await call('GET', `${emulator.url}${body.nextRecordsUrl}`)).body as typeof body;
    const third = (await call('GET', `${emulator.url}${second.nextRecordsUrl}`))
      .body as typeof body;
    expect([second.records.length, third.records.length, third.done]).toEqual([2_000, 500, true]);
    expect(third.nextRecordsUrl).toBeUndefined();
  });

  it.each([
    ['SELECT Id FROM Contact WHERE SystemModstamp > 2024-01-01T00:00:00.000Z', 'MALFORMED_QUERY'],
    [
      "SELECT Id FROM Contact WHERE Email = 'a' AND LastName = 'b' OR FirstName = 'c'",
      'MALFORMED_QUERY',
    ],
    ['SELECT Id FROM Contact WHERE', 'MALFORMED_QUERY'],
    ['SELECT Id Contact', 'MALFORMED_QUERY'],
    ['SELECT Nope__c FROM Contact', 'INVALID_FIELD'],
    ["SELECT Id FROM Contact WHERE SystemModstamp > '2024-01-01T00:00:00Z'", 'INVALID_FIELD'],
    ['SELECT Id FROM Contact WHERE Email = 42', 'INVALID_FIELD'],
    ['SELECT Id FROM Widget__c', 'INVALID_TYPE'],
  ])('refuses %s with %s, as Salesforce does', async (soql, errorCode) => {
    const answer = await query(soql);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual([{ message: expect.any(String) as unknown, errorCode }]);
  });

  it('filters with AND / OR groups, IN, and the (stamp, id) tie-break', async () => {
    const ids = generateContacts(5, 3).map((fields) => {
      const outcome = emulator.store.create('Contact', fields);
      return outcome.ok ? outcome.id : '';
    });
    const soql = `SELECT Id FROM Contact WHERE (SystemModstamp > 2024-05-01T10:00:00Z OR (SystemModstamp = 2024-05-01T10:00:00Z AND Id > '${ids[1] ?? ''}')) AND Id IN ('${ids[2] ?? ''}', '${ids[4] ?? ''}', '003Dn0000999999999') ORDER BY SystemModstamp, Id LIMIT 5`;
    const answer = (await query(soql)).body as { records: { Id: string }[] };
    expect(answer.records.map((record) => record.Id)).toEqual([ids[2], ids[4]]);
  });

  it('answers 18-character ids and takes the 15-character form wherever an id goes', async () => {
    const created = emulator.store.create('Contact', { LastName: 'Ada', Email: 'ada@example.com' });
    if (!created.ok) throw new Error('not created');
    const id18 = created.id;
    expect(id18).toMatch(/^003[a-zA-Z0-9]{15}$/);
    expect(toId18(id18.slice(0, 15))).toBe(id18);
    const id15 = id18.slice(0, 15);
    const fetched = await call('GET', `/sobjects/Contact/${id15}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({ Id: id18 });
    const patched = await call('PATCH', `/sobjects/Contact/${id15}`, { FirstName: 'Ada' });
    expect(patched.status).toBe(204);
    const found = await query(`SELECT Id, FirstName FROM Contact WHERE Id IN ('${id15}')`);
    expect((found.body as { records: Array<Record<string, unknown>> }).records).toEqual([
      expect.objectContaining({ Id: id18, FirstName: 'Ada' }),
    ]);
    const account = emulator.store.create('Account', { Name: 'Acme' });
    if (!account.ok) throw new Error('not created');
    const linked = await call('PATCH', `/sobjects/Contact/${id18}`, {
      AccountId: account.id.slice(0, 15),
    });
    expect(linked.status).toBe(204);
    expect(emulator.store.get(id18)?.values['AccountId']).toBe(account.id);
  });

  it('keeps deletes in the recycle bin: queryAll and /deleted see them, query does not', async () => {
    const outcome = emulator.store.create('Contact', { LastName: 'Gone' });
    if (!outcome.ok) throw new Error('seed failed');
    await clock.advance(90_000);
    expect((await call('DELETE', `/sobjects/Contact/${outcome.id}`)).status).toBe(204);
    const soql = 'SELECT Id, IsDeleted FROM Contact';
    expect((await query(soql)).body).toMatchObject({ totalSize: 0 });
    expect((await query(soql, true)).body).toMatchObject({
      totalSize: 1,
      records: [{ Id: outcome.id, IsDeleted: true }],
    });
    const deleted = await call(
      'GET',
      '/sobjects/Contact/deleted?start=2024-05-01T10:00:00%2B00:00&end=2024-05-01T11:00:00%2B00:00',
    );
    expect(deleted.body).toMatchObject({
      deletedRecords: [{ id: outcome.id, deletedDate: '2024-05-01T10:01:30.000+0000' }],
    });
    const updated = await call(
      'GET',
      '/sobjects/Contact/updated?start=2024-05-01T10:00:00%2B00:00&end=2024-05-01T11:00:00%2B00:00',
    );
    expect(updated.body).toMatchObject({ ids: [] });
  });

  it('purges deletes after 15 days or when the bin is emptied, and says so in earliestDateAvailable', async () => {
    const create = (name: string): string => {
      const outcome = emulator.store.create('Contact', { LastName: name });
      if (!outcome.ok) throw new Error('seed failed');
      return outcome.id;
    };
    const old = create('Old');
    const recent = create('Recent');
    await clock.advance(60_000);
    emulator.store.delete(old);
    await clock.advance(10 * 24 * 60 * 60_000);
    emulator.store.delete(recent);
    await clock.advance(6 * 24 * 60 * 60_000);
    emulator.accessToken = emulator.sessions.issue();
    const deleted = (start: string, end: string) =>
      call(
        'GET',
        `/sobjects/Contact/deleted/?start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`,
      );

    // 16 days after its delete, the first is gone for good; the second is still in the bin.
    expect((await query('SELECT Id FROM Contact', true)).body).toMatchObject({
      totalSize: 1,
      records: [{ Id: recent }],
    });
    expect((await deleted('2024-05-01T10:00:00Z', '2024-05-17T10:00:00Z')).body).toEqual({
      deletedRecords: [{ id: recent, deletedDate: '2024-05-11T10:01:00.000+0000' }],
      earliestDateAvailable: '2024-05-01T10:01:00.000+0000',
      latestDateCovered: '2024-05-17T10:00:00.000+0000',
    });
    emulator.store.emptyRecycleBin();
    expect((await query('SELECT Id FROM Contact', true)).body).toMatchObject({ totalSize: 0 });
    expect((await deleted('2024-05-11T00:00:00Z', '2024-05-12T00:00:00Z')).body).toMatchObject({
      deletedRecords: [],
      earliestDateAvailable: '2024-05-11T10:01:00.000+0000',
    });
    // A window of a minute or less is refused.
    const short = await deleted('2024-05-11T00:00:00Z', '2024-05-11T00:01:00Z');
    expect(short.status).toBe(400);
    expect(short.body).toEqual([
      {
        errorCode: 'INVALID_REPLICATION_DATE',
        message: 'startDate must chronologically precede endDate by more than one minute',
      },
    ]);
  });

  it('keeps latestDateCovered before a transaction still open, whose rows carry its start', async () => {
    await clock.advance(120_000);
    const job = emulator.store.openTransaction();
    await clock.advance(10 * 60_000);
    const window = `start=${encodeURIComponent('2024-05-01T10:00:00Z')}&end=${encodeURIComponent('2024-05-01T10:12:00Z')}`;
    expect((await call('GET', `/sobjects/Contact/updated/?${window}`)).body).toEqual({
      ids: [],
      latestDateCovered: '2024-05-01T10:02:00.000+0000',
    });
    const committed = job.commit('Contact', { LastName: 'Late' });
    if (!committed.ok) throw new Error('commit failed');
    expect(emulator.store.get(committed.id)?.SystemModstamp).toBe(
      Date.parse('2024-05-01T10:02:00.250Z') - 250,
    );
    expect((await call('GET', `/sobjects/Contact/updated/?${window}`)).body).toEqual({
      ids: [committed.id],
      latestDateCovered: '2024-05-01T10:12:00.000+0000',
    });
  });

  it('merges up to two contacts into a master: losers deleted with MasterRecordId, children re-parented', async () => {
    const create = (object: string, values: Record<string, unknown>): string => {
      const outcome = emulator.store.create(object, values);
      if (!outcome.ok) throw new Error('seed failed');
      return outcome.id;
    };
    const account = create('Account', { Name: 'Acme' });
    const other = create('Account', { Name: 'Acme Inc' });
    const master = create('Contact', { LastName: 'Lee', AccountId: account });
    const loser = create('Contact', { LastName: 'Lee (old)', AccountId: other });
    await clock.advance(90_000);

    expect(emulator.store.merge('Account', account, [other])).toEqual({
      ok: true,
      id: account,
      created: false,
    });
    expect(emulator.store.merge('Contact', master, [loser], { Title: 'CTO' }).ok).toBe(true);

    const all = await query(
      'SELECT Id, IsDeleted, MasterRecordId, Title FROM Contact ORDER BY Id',
      true,
    );
    expect(all.body).toMatchObject({
      records: [
        { Id: master, IsDeleted: false, MasterRecordId: null, Title: 'CTO' },
        { Id: loser, IsDeleted: true, MasterRecordId: master },
      ],
    });
    expect(emulator.store.get(loser)?.values['AccountId']).toBe(account);
    expect(emulator.store.get(master)?.SystemModstamp).toBe(Date.parse('2024-05-01T10:01:30Z'));
    // MasterRecordId is the platform's: not writable, and only Lead, Contact and Account merge.
    expect(
      (await call('PATCH', `/sobjects/Contact/${master}`, { MasterRecordId: loser })).body,
    ).toMatchObject([{ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE' }]);
    const deal = create('Opportunity', {
      Name: 'Deal',
      StageName: 'Prospecting',
      CloseDate: '2024-06-01',
    });
    const deal2 = create('Opportunity', {
      Name: 'Deal 2',
      StageName: 'Prospecting',
      CloseDate: '2024-06-01',
    });
    expect(emulator.store.merge('Opportunity', deal, [deal2])).toMatchObject({
      ok: false,
      errors: [{ statusCode: 'INVALID_TYPE' }],
    });
    const three = [
      create('Lead', { LastName: 'A', Company: 'A' }),
      create('Lead', { LastName: 'B', Company: 'B' }),
    ];
    const fourth = create('Lead', { LastName: 'C', Company: 'C' });
    expect(emulator.store.merge('Lead', fourth, [...three, master])).toMatchObject({ ok: false });
    expect(emulator.store.merge('Contact', master, [loser])).toMatchObject({
      ok: false,
      errors: [{ statusCode: 'INVALID_CROSS_REFERENCE_KEY' }],
    });
  });

  it('describes fields with their types, picklists and external ids', async () => {
    const answer = (await call('GET', '/sobjects/Contact/describe')).body as {
      fields: Record<string, unknown>[];
    };
    const byName: Record<string, Record<string, unknown>> = Object.fromEntries(
      answer.fields.map((field) => [String(field['name']), field]),
    );
    expect(byName['LastName']).toMatchObject({ type: 'string', nillable: false, createable: true });
    expect(byName['External_Id__c']).toMatchObject({ externalId: true, unique: true });
    expect(byName['Lifecycle_Stage__c']).toMatchObject({
      type: 'picklist',
      restrictedPicklist: true,
    });
    expect(byName['Interests__c']).toMatchObject({ type: 'multipicklist' });
    expect(byName['SystemModstamp']).toMatchObject({
      type: 'datetime',
      createable: false,
      updateable: false,
    });
  });

  it('answers sObject Collections per record, in order, and rolls all back with allOrNone', async () => {
    const records = [
      {
        attributes: { type: 'Contact' },
        LastName: 'Ok',
        Email: 'ok@example.com',
        External_Id__c: 'k1',
      },
      { attributes: { type: 'Contact' }, LastName: 'Bad', Email: 'not-an-email' },
      { attributes: { type: 'Contact' }, FirstName: 'No last name' },
      { attributes: { type: 'Contact' }, LastName: 'Stage', Lifecycle_Stage__c: 'Evangelist' },
      { attributes: { type: 'Contact' }, LastName: 'Dup', External_Id__c: 'K1' },
      { attributes: { type: 'Contact' }, LastName: 'Col', Nope__c: 1 },
    ];
    const answer = await call('POST', '/composite/sobjects', { allOrNone: false, records });
    expect(answer.status).toBe(200);
    const results = answer.body as {
      success: boolean;
      errors: { statusCode: string; fields: string[] }[];
    }[];
    expect(results.map((result) => result.success)).toEqual([
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(results.slice(1).map((result) => result.errors[0]?.statusCode)).toEqual([
      'INVALID_EMAIL_ADDRESS',
      'REQUIRED_FIELD_MISSING',
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      'DUPLICATE_VALUE',
      'INVALID_FIELD',
    ]);
    expect(results[2]?.errors[0]?.fields).toEqual(['LastName']);

    const rolledBack = await call('POST', '/composite/sobjects', {
      allOrNone: true,
      records: [
        { ...records[0], External_Id__c: 'k9' },
        { ...records[0], External_Id__c: 'k2', Email: 'x' },
      ],
    });
    expect(
      (rolledBack.body as { errors: { statusCode: string }[] }[]).map(
        (result) => result.errors[0]?.statusCode,
      ),
    ).toEqual(['ALL_OR_NONE_OPERATION_ROLLED_BACK', 'INVALID_EMAIL_ADDRESS']);
    expect(emulator.store.list('Contact')).toHaveLength(1);

    const tooMany = await call('POST', '/composite/sobjects', {
      records: Array.from({ length: 201 }, () => records[0]),
    });
    expect(tooMany).toMatchObject({ status: 400, body: [{ errorCode: 'EXCEEDED_ID_LIMIT' }] });

    const upsert = await call('PATCH', '/composite/sobjects/Contact/External_Id__c', {
      allOrNone: false,
      records: [
        { attributes: { type: 'Contact' }, External_Id__c: 'k1', Title: 'CTO' },
        { attributes: { type: 'Contact' }, External_Id__c: 'k3', LastName: 'New' },
      ],
    });
    expect(upsert.body).toEqual([
      { id: expect.any(String) as unknown, success: true, errors: [], created: false },
      { id: expect.any(String) as unknown, success: true, errors: [], created: true },
    ]);
  });

  it('honours Sforce-Query-Options batchSize, and injects locks, latency and 5xx', async () => {
    for (const fields of generateContacts(700, 5)) emulator.store.create('Contact', fields);
    const batched = await call(
      'GET',
      `/query?q=${encodeURIComponent('SELECT Id FROM Contact')}`,
      undefined,
      {
        'Sforce-Query-Options': 'batchSize=500',
      },
    );
    expect((batched.body as { records: unknown[] }).records).toHaveLength(500);

    const first = emulator.store.list('Contact').at(0);
    emulator.faults.lockRows(({ id }) => id === first?.Id, 1);
    const patch = () => call('PATCH', `/sobjects/Contact/${first?.Id ?? ''}`, { Title: 'CFO' });
    expect((await patch()).body).toEqual([
      {
        errorCode: 'UNABLE_TO_LOCK_ROW',
        message: expect.stringContaining('unable to obtain exclusive access') as unknown,
        fields: [],
      },
    ]);
    expect((await patch()).status).toBe(204);

    emulator.faults.failNext('server_error', { endpoint: /^GET \/limits$/ });
    emulator.faults.latencyMs = 30;
    const started = Date.now();
    const failed = await call('GET', '/limits');
    expect(failed).toMatchObject({ status: 503, body: [{ errorCode: 'SERVER_UNAVAILABLE' }] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(failed.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/1000$/);
    expect(emulator.counters.calls('GET /limits')).toBe(1);
  });

  it('carries out a call whose answer is lost, and fails a share of calls at random', async () => {
    emulator.faults.failNext('answer_lost', { endpoint: /^POST \/sobjects\/Contact$/ });
    const lost = await call('POST', '/sobjects/Contact', { LastName: 'Lost', Email: 'l@x.io' });
    expect(lost).toMatchObject({ status: 503, body: [{ errorCode: 'SERVER_UNAVAILABLE' }] });
    // The record was made all the same: the client cannot know.
    expect(emulator.store.list('Contact').map((record) => record.values['LastName'])).toContain(
      'Lost',
    );

    let draws = 0;
    emulator.faults.chaos.set({
      rate: 0.5,
      kinds: ['server_error'],
      random: () => (draws++ % 4) / 4,
    });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call('GET', '/limits')).status);
    emulator.faults.chaos.set(undefined);
    expect(statuses.filter((status) => status === 503).length).toBeGreaterThan(0);
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(0);
    expect(emulator.faults.chaos.injected.get('server_error')).toBe(
      statuses.filter((status) => status === 503).length,
    );
  });

  it('refuses an unknown session with INVALID_SESSION_ID and issues tokens at the OAuth endpoint', async () => {
    const refused = await call('GET', '/limits', undefined, { authorization: 'Bearer nope' });
    expect(refused).toMatchObject({
      status: 401,
      body: [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }],
    });
    const token = await fetch(`${emulator.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: emulator.auth.refreshToken,
        client_id: emulator.auth.clientId,
        client_secret: emulator.auth.clientSecret,
      }),
    });
    expect(await token.json()).toEqual({
      access_token: expect.any(String) as unknown,
      signature: expect.any(String) as unknown,
      scope: 'api refresh_token',
      instance_url: emulator.url,
      id: expect.stringContaining('/id/') as unknown,
      token_type: 'Bearer',
      issued_at: String(clock.now().getTime()),
    });
    const bad = await fetch(`${emulator.url}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: 'stolen',
        client_id: emulator.auth.clientId,
      }),
    });
    expect([bad.status, await bad.json()]).toEqual([
      400,
      { error: 'invalid_grant', error_description: 'expired access/refresh token' },
    ]);
  });

  it('enforces the daily API limit and the URI length limit', async () => {
    const limited = await startSalesforceEmulator({ clock, dailyApiLimit: 2 });
    try {
      const get = (): Promise<Response> =>
        fetch(`${limited.url}/services/data/v59.0/limits`, {
          headers: { authorization: `Bearer ${limited.accessToken}` },
        });
      expect((await get()).status).toBe(200);
      expect((await get()).status).toBe(200);
      const third = await get();
      expect([third.status, third.headers.get('sforce-limit-info'), await third.json()]).toEqual([
        403,
        'api-usage=3/2',
        [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
      ]);
    } finally {
      await limited.close();
    }
    expect(
      (await query(`SELECT Id FROM Contact WHERE Email IN ('${'x'.repeat(17_000)}')`)).status,
    ).toBe(414);
  });

  it('runs a Bulk API 2.0 ingest job and a query job', async () => {
    const job = (
      await call('POST', '/jobs/ingest', {
        object: 'Contact',
        operation: 'insert',
        contentType: 'CSV',
        lineEnding: 'LF',
      })
    ).body as { id: string; state: string };
    expect(job.state).toBe('Open');
    const csv = 'LastName,Email\nOne,one@example.com\n"Two, Jr.",bad-email\n';
    expect((await call('PUT', `/jobs/ingest/${job.id}/batches`, csv)).status).toBe(201);
    expect((await call('PUT', `/jobs/ingest/${job.id}/batches`, csv)).status).toBe(400);
    expect(
      (await call('PATCH', `/jobs/ingest/${job.id}`, { state: 'UploadComplete' })).body,
    ).toMatchObject({ state: 'UploadComplete' });
    expect((await call('GET', `/jobs/ingest/${job.id}`)).body).toMatchObject({
      state: 'InProgress',
    });
    expect((await call('GET', `/jobs/ingest/${job.id}`)).body).toMatchObject({
      state: 'JobComplete',
      numberRecordsProcessed: 2,
      numberRecordsFailed: 1,
    });
    const ok = readCsvRecords((await call('GET', `/jobs/ingest/${job.id}/successfulResults`)).text);
    expect(ok.header).toEqual(['sf__Id', 'sf__Created', 'LastName', 'Email']);
    expect(ok.records).toEqual([
      {
        sf__Id: expect.stringMatching(/^003/) as unknown,
        sf__Created: 'true',
        LastName: 'One',
        Email: 'one@example.com',
      },
    ]);
    const failed = readCsvRecords((await call('GET', `/jobs/ingest/${job.id}/failedResults`)).text);
    expect(failed.records).toEqual([
      {
        sf__Id: '',
        sf__Error: 'INVALID_EMAIL_ADDRESS:Email: invalid email address: bad-email:Email --',
        LastName: 'Two, Jr.',
        Email: 'bad-email',
      },
    ]);

    const queryJob = (
      await call('POST', '/jobs/query', {
        operation: 'query',
        query: 'SELECT Id, LastName, CreatedDate FROM Contact',
      })
    ).body as { id: string; state: string };
    expect(queryJob.state).toBe('UploadComplete');
    for (let i = 0; i < 3; i++) await call('GET', `/jobs/query/${queryJob.id}`);
    const results = await call('GET', `/jobs/query/${queryJob.id}/results?maxRecords=10`);
    expect(results.headers.get('sforce-locator')).toBe('null');
    expect(readCsvRecords(results.text).records).toEqual([
      {
        Id: expect.stringMatching(/^003/) as unknown,
        LastName: 'One',
        CreatedDate: '2024-05-01T10:00:00.000Z',
      },
    ]);
  });
});
