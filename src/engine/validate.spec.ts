import type { ObjectDescriptor } from '../../connectors/sdk/contract';
import type { SyncDefinition } from './definition';
import { contactSync } from './testing/harness.test-kit';
import { validateSyncDefinition } from './validate';

const field = (
  name: string,
  type: ObjectDescriptor['fields'][number]['type'],
  extra: Partial<ObjectDescriptor['fields'][number]> = {},
) => ({
  name,
  label: name,
  type,
  required: false,
  readOnly: false,
  unique: false,
  externalId: false,
  ...extra,
});
const object = (name: string, fields: ObjectDescriptor['fields']): ObjectDescriptor => ({
  name,
  label: name,
  fields,
  deletes: true,
  writeModes: ['create', 'update', 'upsert'],
});

describe('validateSyncDefinition', () => {
  it('asks unsubscribe_wins for the opted-out values of each side', () => {
    const definition = contactSync();
    const mapping = {
      left: 'optedOut',
      right: 'status',
      direction: 'both' as const,
      policy: 'unsubscribe_wins' as const,
    };
    const problems = validateSyncDefinition({ ...definition, mappings: [mapping] });
    expect(problems.map((problem) => problem.path)).toEqual([
      'mappings[0].optOut.left',
      'mappings[0].optOut.right',
    ]);
    const ready = { ...mapping, optOut: { left: [true], right: ['unsubscribed'] } };
    expect(validateSyncDefinition({ ...definition, mappings: [ready] })).toEqual([]);
  });

  it('accepts a good definition', () => {
    expect(validateSyncDefinition(contactSync())).toEqual([]);
  });
  it('reports unknown policies, directions and operators with their paths', () => {
    const definition = {
      ...contactSync(),
      direction: 'sideways',
      defaultPolicy: 'coin_flip',
      left: {
        object: 'contacts',
        writeMode: 'upsert',
        filter: { combine: 'all', conditions: [{ field: 'x', op: 'like' }] },
      },
    } as unknown as SyncDefinition;
    expect(validateSyncDefinition(definition).map((problem) => problem.path)).toEqual([
      'direction',
      'defaultPolicy',
      'left.filter.conditions[0].op',
    ]);
  });
  it('reports a field written twice, a JSONata expression that does not parse, a non-invertible value map', () => {
    const problems = validateSyncDefinition(
      contactSync({
        mappings: [
          { left: 'a', right: 'x', direction: 'both' },
          { left: 'b', right: 'x', direction: 'both' },
          {
            left: 'c',
            right: 'y',
            direction: 'left_to_right',
            transforms: { leftToRight: [{ kind: 'jsonata', expression: '$sum(' }] },
          },
          {
            left: 'd',
            right: 'z',
            direction: 'both',
            transforms: { leftToRight: [{ kind: 'value_map', map: { A: '1', B: '1' } }] },
          },
        ],
      }),
    );
    expect(problems.map((problem) => problem.path)).toEqual([
      'mappings[1].right',
      'mappings[2].transforms.leftToRight[0].expression',
      'mappings[3].transforms.leftToRight[0].map',
    ]);
  });
  it('checks fields, writability, types, picklists and required fields against discover()', () => {
    const left = object('contacts', [
      field('email', 'email'),
      field('score', 'number'),
      field('status', 'enum', { options: [{ value: 'Lead', label: 'Lead' }] }),
      field('id', 'id', { readOnly: true }),
    ]);
    const right = object('leads', [
      field('email', 'email'),
      field('score', 'boolean'),
      field('lead_status', 'enum', { options: [{ value: 'NEW', label: 'New' }] }),
      field('owner', 'string', { required: true }),
      field('rid', 'id', { readOnly: true }),
    ]);
    const problems = validateSyncDefinition(
      contactSync({
        mappings: [
          { left: 'email', right: 'email', direction: 'both' },
          { left: 'score', right: 'score', direction: 'left_to_right' },
          {
            left: 'status',
            right: 'lead_status',
            direction: 'both',
            transforms: { leftToRight: [{ kind: 'value_map', map: { Lead: 'OPEN' } }] },
          },
          { left: 'id', right: 'rid', direction: 'left_to_right' },
          { left: 'nope', right: 'email', direction: 'none' },
        ],
      }),
      { left, right },
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'mappings[1].right' }),
        expect.objectContaining({ path: 'mappings[2].transforms.leftToRight[0].map' }),
        expect.objectContaining({
          path: 'mappings[3].right',
          problem: expect.stringContaining('read-only') as unknown,
        }),
        expect.objectContaining({ path: 'mappings[4].left' }),
        expect.objectContaining({
          path: 'right.object',
          problem: expect.stringContaining('"owner"') as unknown,
        }),
      ]),
    );
  });
});

describe('validateSyncDefinition, by kind', () => {
  const common = {
    id: 'k',
    left: { object: 'contacts' },
    right: { object: 'purchase' },
    mappings: [],
    defaultPolicy: 'manual' as const,
    tieBreaker: 'left' as const,
    deletePolicy: 'ignore' as const,
  };

  it('wants a direction, a match and both write modes of a records sync', () => {
    expect(validateSyncDefinition({ ...common, kind: 'records' })).toEqual([
      { path: 'direction', problem: 'a records sync needs it' },
      { path: 'match', problem: 'a records sync needs it' },
      { path: 'left.writeMode', problem: 'a records sync needs it' },
      { path: 'right.writeMode', problem: 'a records sync needs it' },
    ]);
  });

  it('wants identifiers and event settings of an events sync, and refuses what it does not use', () => {
    expect(
      validateSyncDefinition({
        ...common,
        kind: 'events',
        direction: 'right_to_left',
        match: { left: 'email', right: 'email', normalizer: 'email' },
        right: { object: 'purchase', writeMode: 'upsert' },
        mappings: [{ left: 'amount', right: 'value', direction: 'right_to_left' }],
      }).map((problem) => problem.path),
    ).toEqual([
      'direction',
      'match',
      'right.writeMode',
      'identifiers',
      'events',
      'mappings[0].direction',
    ]);
    expect(
      validateSyncDefinition({
        ...common,
        kind: 'events',
        identifiers: { email: 'email' },
        events: { key: 'deal-{id}' },
        mappings: [{ left: 'amount', right: 'value', direction: 'left_to_right' }],
      }),
    ).toEqual([]);
  });

  it('refuses event settings on an audience sync, and one without an identifier', () => {
    expect(
      validateSyncDefinition({
        ...common,
        kind: 'audience',
        identifiers: { email: ' ' },
        events: { key: 'x-{id}' },
      }),
    ).toEqual([
      {
        path: 'identifiers',
        problem:
          'an audience sync needs at least one identifier field (email, phone, …) to say who each record is',
      },
      { path: 'events', problem: 'an audience sync does not use it: it sends no events' },
    ]);
  });
});
