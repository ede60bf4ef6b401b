import { FakeClock } from './clock';
import type { ReadPage, ReadRequest, WriteRequest } from './contract';
import { defineConnector } from './define';
import { ConnectorError } from './errors';

const logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const context = { logger, clock: new FakeClock() };

async function* onePage(): AsyncGenerator<ReadPage> {
  yield await Promise.resolve({ records: [], checkpoint: {} });
}

/** A connector that records what reached it, to see what the SDK did around it. */
function recording(checkFails?: Error) {
  const reads: ReadRequest[] = [];
  const writes: WriteRequest[] = [];
  const connector = defineConnector({
    kind: 'probe',
    label: 'Probe',
    settings: {
      baseUrl: { label: 'Base URL', type: 'url', required: true },
      pageSize: { label: 'Page size', type: 'number', default: 50, minimum: 1 },
      label: { label: 'Label', type: 'string' },
    },
    secrets: ['token'],
    capabilities: ['source', 'records'],
    limits: (settings) => ({
      maxPageSize: 100,
      pageSize: settings.pageSize,
      maxBatch: { create: 2, update: 2 },
      concurrency: 1,
      rateLimits: [],
    }),
    open: ({ settings, secrets }) => ({
      calls: { callCount: () => 0, callsByEndpoint: () => ({}), budgets: () => [] },
      check: () =>
        checkFails === undefined
          ? Promise.resolve({ account: `${settings.baseUrl} ${secrets.token ?? 'no token'}` })
          : Promise.reject(checkFails),
      discover: () => Promise.resolve([]),
      read: (request) => {
        reads.push(request);
        return onePage();
      },
      write: (request) => {
        writes.push(request);
        return Promise.resolve(
          request.operations.map((_, index) => ({
            status: 'created' as const,
            id: `${writes.length}-${index}`,
          })),
        );
      },
    }),
  });
  return { connector, reads, writes };
}

describe('defineConnector', () => {
  it('lists the settings for the catalogue, and parses them once: defaults, trimming, types', () => {
    const { connector } = recording();
    expect(connector.settings.map((setting) => [setting.name, setting.required])).toEqual([
      ['baseUrl', true],
      ['pageSize', false],
      ['label', false],
    ]);
    expect(connector.parseSettings({ baseUrl: ' https://x.test ', label: '' })).toEqual({
      baseUrl: 'https://x.test',
      pageSize: 50,
      label: undefined,
    });
    expect(() => connector.parseSettings({})).toThrow(/baseUrl setting is required/);
    expect(() => connector.parseSettings({ baseUrl: 'https://x', pageSize: 0 })).toThrow(
      /at least 1/,
    );
    expect(() => connector.parseSettings({ baseUrl: 'https://x', pageSize: '5' })).toThrow(
      /must be a number/,
    );
    expect(connector.limitsFor({ baseUrl: 'https://x', pageSize: 7 }).pageSize).toBe(7);
  });

  it('turns a failed check into its code and reason, and a passed one into ok', async () => {
    await expect(
      recording().connector.create({ baseUrl: 'https://x' }, { token: ' t ' }, context).check(),
    ).resolves.toEqual({ ok: true, account: 'https://x t' });
    const refused = recording(new ConnectorError('auth_invalid', 'token refused'));
    await expect(
      refused.connector.create({ baseUrl: 'https://x' }, {}, context).check(),
    ).resolves.toMatchObject({
      ok: false,
      code: 'auth_invalid',
    });
  });

  it('clamps page sizes to the declared maximum, with the setting as default', async () => {
    const { connector, reads } = recording();
    const opened = connector.create({ baseUrl: 'https://x', pageSize: 30 }, {}, context);
    for (const pageSize of [undefined, 500, 0]) {
      const request: ReadRequest = { object: 'o', fields: [] };
      if (pageSize !== undefined) request.pageSize = pageSize;
      for await (const _page of opened.read?.(request) ?? []);
    }
    expect(reads.map((read) => read.pageSize)).toEqual([30, 100, 1]);
  });

  it('chunks writes by the declared batch, and refuses a mode it did not declare', async () => {
    const { connector, writes } = recording();
    const opened = connector.create({ baseUrl: 'https://x' }, {}, context);
    const results = await opened.write?.({
      object: 'o',
      mode: 'create',
      operations: [{ fields: {} }, { fields: {} }, { fields: {} }],
    });
    expect(writes.map((write) => write.operations.length)).toEqual([2, 1]);
    expect(results?.map((result) => result.status)).toEqual(['created', 'created', 'created']);
    await expect(
      opened.write?.({ object: 'o', mode: 'delete', operations: [{ id: '1', fields: {} }] }),
    ).rejects.toThrow(/probe connections do not take delete writes \(they take: create, update\)/);
    expect(writes).toHaveLength(2);
  });

  it('refuses parts that lack an operation of a declared capability', () => {
    const broken = defineConnector({
      kind: 'broken',
      label: 'Broken',
      settings: {},
      secrets: [],
      capabilities: ['events'],
      limits: () => ({ maxPageSize: 1, maxBatch: {}, concurrency: 1, rateLimits: [] }),
      open: () =>
        ({
          calls: { callCount: () => 0, callsByEndpoint: () => ({}), budgets: () => [] },
          check: () => Promise.resolve({}),
          discover: () => Promise.resolve([]),
        }) as never,
    });
    expect(() => broken.create({}, {}, context)).toThrow(
      /broken declares events but has no identifiers, append/,
    );
  });
});
