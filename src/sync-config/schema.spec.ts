import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_INTERVAL_SECONDS, MIN_INTERVAL_SECONDS } from '../runs/schedule';
import { SYNC_SCHEMA, schemaProblems } from './schema';
import { parseYamlSource } from './yaml-source';

type Json = Record<string, unknown>;

function at(path: string[]): Json {
  let node: unknown = SYNC_SCHEMA;
  for (const key of path) node = (node as Json)[key];
  return node as Json;
}

const base = {
  name: 'A sync',
  left: { connection: 'CRM A', object: 'contacts', writeMode: 'upsert' },
  right: { connection: 'CRM B', object: 'Contact', writeMode: 'upsert' },
  direction: 'bidirectional',
  match: { left: 'email', right: 'Email', normalizer: 'email' },
  mappings: [{ left: 'email', right: 'Email', direction: 'both' }],
};

describe('the sync definition schema', () => {
  it("keeps the scheduler's bounds of an interval (the schema imports nothing, so a test holds them equal)", () => {
    expect(at(['properties', 'schedule', 'properties', 'intervalSeconds'])).toMatchObject({
      minimum: MIN_INTERVAL_SECONDS,
      maximum: MAX_INTERVAL_SECONDS,
    });
  });

  it('refuses unknown keys everywhere', () => {
    const objects: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const schema = node as Json;
      if (schema['type'] === 'object' && schema['properties'] !== undefined) {
        objects.push(path);
        expect({ path, additionalProperties: schema['additionalProperties'] }).toEqual({
          path,
          additionalProperties: false,
        });
      }
      // An if / else states conditions on the shape around it (what a records sync needs).
      for (const [key, child] of Object.entries(schema))
        if (key !== 'if' && key !== 'else') walk(child, `${path}/${key}`);
    };
    walk(SYNC_SCHEMA, '#');
    expect(objects.length).toBeGreaterThan(10);
  });

  it('accepts the shipped examples', () => {
    const dir = join(__dirname, '..', '..', 'config', 'syncs');
    const files = readdirSync(dir).filter((name) => name.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      const source = parseYamlSource(readFileSync(join(dir, file), 'utf8'));
      expect({ file, problems: source.problems }).toEqual({ file, problems: [] });
      expect({ file, problems: schemaProblems(source.data) }).toEqual({ file, problems: [] });
    }
  });

  it('names each mistake once, at its path, in words', () => {
    expect(
      schemaProblems({
        ...base,
        enabled: 'yes',
        defaultPolicy: 'sometimes',
        left: { ...base.left, conection: 'x' },
        mappings: [
          {
            left: 'a',
            right: 'b',
            direction: 'both',
            transforms: {
              leftToRight: [{ kind: 'format', fn: 'lowercase', extra: 1 }, { kind: 'nope' }, {}],
            },
          },
        ],
      }),
    ).toEqual([
      { path: ['enabled'], problem: 'must be true or false, not "yes"' },
      {
        path: ['left', 'conection'],
        problem: 'unknown key "conection" (expected one of connection, object, writeMode, filter, audience)',
      },
      {
        path: ['mappings', 0, 'transforms', 'leftToRight', 0, 'extra'],
        problem: 'unknown key "extra" (expected one of kind, fn, format)',
      },
      {
        path: ['mappings', 0, 'transforms', 'leftToRight', 1, 'kind'],
        problem:
          'unknown transform kind "nope" (expected one of value_map, constant, template, format, jsonata)',
      },
      {
        path: ['mappings', 0, 'transforms', 'leftToRight', 2, 'kind'],
        problem: 'is required (one of value_map, constant, template, format, jsonata)',
      },
      {
        path: ['defaultPolicy'],
        problem:
          '"sometimes" is not allowed (expected one of left_wins, right_wins, prefer_left_unless_blank, prefer_right_unless_blank, latest_wins, manual, unsubscribe_wins)',
        valueOnly: true,
      },
    ]);
  });

  it('wants exactly one kind of schedule, and the parts a definition cannot do without', () => {
    expect(
      schemaProblems({ ...base, schedule: { cron: '* * * * *', intervalSeconds: 5 } }),
    ).toEqual([{ path: ['schedule'], problem: 'give exactly one of cron or intervalSeconds' }]);
    expect(schemaProblems({ ...base, schedule: { intervalSeconds: 5, timezone: 'UTC' } })).toEqual([
      { path: ['schedule', 'timezone'], problem: 'is only allowed with cron' },
    ]);
    const { mappings: _mappings, ...withoutMappings } = base;
    expect(schemaProblems({ ...withoutMappings, alerts: { webhookUrl: 'ftp://x' } })).toEqual([
      { path: ['mappings'], problem: 'is required' },
      { path: ['alerts', 'webhookUrl'], problem: 'must be an http(s) URL or ${ENV_VAR}' },
    ]);
    expect(schemaProblems({ ...base, alerts: { webhookUrl: '${SLACK_URL}' } })).toEqual([]);
  });
});

describe('the schema of the one-way kinds', () => {
  it('wants an event key that names a field, and no records parts', () => {
    const events = {
      name: 'Won deals',
      kind: 'events',
      left: { connection: 'CRM', object: 'Opportunity' },
      right: { connection: 'Ads', object: 'purchase' },
      identifiers: { email: 'Email' },
      events: { key: 'deal', since: 'yesterday' },
      mappings: [],
    };
    expect(schemaProblems(events)).toEqual([
      {
        path: ['events', 'key'],
        problem: 'must name at least one source field, as {Field}, e.g. "deal-{id}-{StageName}"',
      },
      { path: ['events', 'since'], problem: 'must be a date-time' },
    ]);
    expect(
      schemaProblems({ ...events, events: { key: 'deal-{id}', since: '2026-01-01T00:00:00Z' } }),
    ).toEqual([]);
  });
});
