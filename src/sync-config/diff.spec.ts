import { differences } from './diff';
import { fileSpec, type SyncSpec } from './spec';

const spec: SyncSpec = {
  name: 'Contacts',
  left: { connection: 'CRM A', object: 'contacts', writeMode: 'upsert' },
  right: { connection: 'CRM B', object: 'Contact', writeMode: 'upsert' },
  direction: 'bidirectional',
  match: { left: 'email', right: 'Email', normalizer: 'email' },
  defaultPolicy: 'latest_wins',
  schedule: { intervalSeconds: 30 },
  mappings: [
    { left: 'email', right: 'Email', direction: 'both' },
    { left: 'firstname', right: 'FirstName', direction: 'both', policy: 'left_wins' },
    { left: 'lastname', right: 'LastName', direction: 'both' },
  ],
};

function withMappings(mappings: SyncSpec['mappings']): SyncSpec {
  return { ...spec, mappings };
}

describe('differences between the server and the files', () => {
  it('sees none between definitions that mean the same (defaults, no-op flags, key order)', () => {
    const server: SyncSpec = {
      ...spec,
      enabled: true,
      tieBreaker: 'left',
      deletePolicy: 'ignore',
      maxAttempts: 10,
      mappings: spec.mappings.map((m) => ({
        policy: m.policy,
        direction: m.direction,
        right: m.right,
        left: m.left,
        skipNulls: false,
        transforms: { leftToRight: [] },
      })),
    };
    expect(differences(server, spec)).toEqual([]);
    expect(differences(spec, fileSpec(server))).toEqual([]);
  });

  it('names a changed field of one mapping, and nothing else', () => {
    const files = withMappings(
      spec.mappings.map((m) => (m.left === 'firstname' ? { ...m, policy: 'right_wins' } : m)),
    );
    expect(differences(spec, files)).toEqual([
      {
        op: '~',
        path: 'mappings[1].policy',
        label: 'firstname ↔ FirstName',
        from: 'left_wins',
        to: 'right_wins',
      },
    ]);
  });

  it('pairs mappings by their fields: an inserted one is one addition', () => {
    const phone = { left: 'phone', right: 'Phone', direction: 'both' };
    const files = withMappings([
      spec.mappings[0],
      phone,
      ...spec.mappings.slice(1),
    ] as SyncSpec['mappings']);
    expect(differences(spec, files)).toEqual([
      { op: '+', path: 'mappings[1]', label: 'phone ↔ Phone', to: phone },
    ]);
    expect(differences(files, spec)).toEqual([
      { op: '-', path: 'mappings[1]', label: 'phone ↔ Phone', from: phone },
    ]);
    const reversed = withMappings([...spec.mappings].reverse());
    expect(differences(spec, reversed)).toEqual([
      { op: '~', path: 'mappings', label: 'order', from: 'server order', to: 'file order' },
    ]);
  });

  it('walks nested settings key by key', () => {
    const files: SyncSpec = {
      ...spec,
      enabled: false,
      schedule: { cron: '*/5 * * * *' },
      left: {
        ...spec.left,
        filter: { combine: 'all', conditions: [{ field: 'email', op: 'exists' }] },
      },
    };
    expect(differences(spec, files)).toEqual([
      { op: '~', path: 'enabled', from: true, to: false },
      {
        op: '+',
        path: 'left.filter',
        to: { combine: 'all', conditions: [{ field: 'email', op: 'exists' }] },
      },
      { op: '+', path: 'schedule.cron', to: '*/5 * * * *' },
      { op: '-', path: 'schedule.intervalSeconds', from: 30 },
    ]);
  });

  it('compares alert URLs as the server shows them (origin only)', () => {
    const server: SyncSpec = { ...spec, alerts: { webhookUrl: 'https://hooks.slack.com/…' } };
    const files: SyncSpec = {
      ...spec,
      alerts: { webhookUrl: 'https://hooks.slack.com/services/T0/B0/secret' },
    };
    expect(differences(server, files)).toEqual([]);
    expect(
      differences(server, { ...files, alerts: { webhookUrl: 'https://example.com/hook' } }),
    ).toEqual([
      {
        op: '~',
        path: 'alerts.webhookUrl',
        from: 'https://hooks.slack.com/…',
        to: 'https://example.com/…',
      },
    ]);
  });
});
