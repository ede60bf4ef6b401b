/**
 * Mapping expressions that would block the process (issue 24) are refused when saved when they
 * pass their bounds on any record, and stopped at their bounds during a run when they depend on
 * the data: the record gets a transform error naming the step, and /health/live keeps answering
 * within a second meanwhile.
 */
import { randomUUID } from 'node:crypto';
import { memoryBackendNamed } from '../connectors/memory';
import { startTestApp, type TestApp } from './support/app';
import { json, memoryConnection, runSyncNow, type ErrorBody } from './support/api-helpers';

const PROBES = [
  ['endless recursion', '($f := function($x){ $f($x) }; $f(1))'],
  ['a million-item map', '$join([1..1000000].("xxxxxxxxxx"))'],
  ['a string doubled without end', '($f := function($s){ $f($s & $s) }; $f("x"))'],
  ['nine million items', '$count([1..3000].([1..3000]))'],
];

describe('mapping expressions within bounds', () => {
  let app: TestApp;
  let left: string;
  let right: string;
  const stores = { left: `ex-left-${randomUUID()}`, right: `ex-right-${randomUUID()}` };

  beforeAll(async () => {
    app = await startTestApp();
    left = await memoryConnection(app, 'Expressions L', stores.left);
    right = await memoryConnection(app, 'Expressions R', stores.right);
  });

  afterAll(async () => {
    await app.stop();
  });

  function body(name: string, expression: string): Record<string, unknown> {
    return {
      name,
      left: { connectionId: left, object: 'contacts', writeMode: 'upsert' },
      right: { connectionId: right, object: 'Contact', writeMode: 'upsert' },
      direction: 'left_to_right',
      match: { left: 'email', right: 'Email', normalizer: 'email' },
      mappings: [
        { left: 'email', right: 'Email', direction: 'left_to_right' },
        {
          left: 'firstname',
          right: 'FirstName',
          direction: 'left_to_right',
          transforms: { leftToRight: [{ kind: 'jsonata', expression }] },
        },
      ],
      defaultPolicy: 'left_wins',
    };
  }

  it.each(PROBES)('refuses to save %s, naming the expression', async (name, expression) => {
    const res = await app.request('/api/v1/syncs', {
      method: 'POST',
      body: JSON.stringify(body(`Probe: ${name}`, expression)),
    });
    expect(res.status).toBe(400);
    const details = (await json<ErrorBody>(res)).error.details;
    expect(details).toEqual([
      {
        path: 'mappings[1].transforms.leftToRight[0].expression',
        problem: expect.stringMatching(
          /^passes its bounds on a sample record: .+ \[(D\d{4}|SIZE)\]$/,
        ) as string,
      },
    ]);
  });

  it('says where an expression does not parse', async () => {
    const res = await app.request('/api/v1/syncs', {
      method: 'POST',
      body: JSON.stringify(body('Does not parse', '$uppercase(value')),
    });
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).error.details).toEqual([
      {
        path: 'mappings[1].transforms.leftToRight[0].expression',
        problem:
          'JSONata does not parse: Expected ")" before end of expression (at position 16) [S0203]',
      },
    ]);
  });

  it('stops an expression that passes its bounds on real data, records why, and stays alive', async () => {
    // Fine on the sample record, nine million items on a record whose first name is 3000.
    const expression = '($n := $number(value); $string($count([1..$n].([1..$n]))))';
    memoryBackendNamed(stores.left).seed('contacts', [
      { fields: { email: 'ann@example.com', firstname: '3000' } },
      { fields: { email: 'bob@example.com', firstname: '3' } },
    ]);
    const created = await app.request('/api/v1/syncs', {
      method: 'POST',
      body: JSON.stringify(body('Data-dependent', expression)),
    });
    expect(created.status).toBe(201);
    const syncId = (await json<{ id: string }>(created)).id;

    // /health/live every 100 ms while the run goes: each must answer within a second.
    const slowest: number[] = [];
    const state = { running: true };
    const probe = (async () => {
      while (state.running) {
        const started = Date.now();
        const res = await fetch(`${app.url}/health/live`, { signal: AbortSignal.timeout(5_000) });
        expect(res.status).toBe(200);
        slowest.push(Date.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const run = await runSyncNow(app, syncId);
    state.running = false;
    await probe;
    expect(run.status).toBe('partial');
    expect(run.counters).toMatchObject({ created: 1, failed: 1 });
    expect(Math.max(...slowest)).toBeLessThan(1_000);

    const events = await json<{
      items: Array<{ action: string; leftId: string; message: string | null }>;
    }>(app.request(`/api/v1/runs/${run.id}/events?action=failed`));
    expect(events.items).toHaveLength(1);
    // The sequence bound (D2015) stops it; on a busy machine the time bound (D1012) may first.
    expect(events.items[0]?.message).toMatch(
      /^mappings\[1\]\.transforms\.leftToRight\[0\]: JSONata .+ \[(D2015|D1012)\]$/,
    );
    const bob = memoryBackendNamed(stores.right)
      .all('Contact')
      .find((record) => record.fields.Email === 'bob@example.com');
    expect(bob?.fields.FirstName).toBe('9');
  });
});
