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
