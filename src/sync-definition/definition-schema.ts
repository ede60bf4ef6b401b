/**
 * The parts of a sync definition as JSON Schema (TypeBox): transforms, mappings, filters, the
 * match, each side, identifiers and consent, events. schema.ts builds the file and API bodies from
 * them. No imports but TypeBox: the console type-checks this file too.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import {
  CONFLICT_POLICIES,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_OVERLAP_MS,
  DEFINITION_DEFAULTS,
  DELETE_POLICIES,
  FIELD_DIRECTIONS,
  FILTER_OPERATORS,
  FORMAT_FUNCTIONS,
  IDENTIFIER_TYPES,
  MATCH_NORMALIZERS,
  SIDES,
  SYNC_DIRECTIONS,
  SYNC_KINDS,
  SYNC_WRITE_MODES,
} from './vocabulary';

/** A string that takes one of `values` (an enum, so errors and documents list them). */
export function choice<const T extends readonly string[]>(
  values: T,
  options: { description?: string; default?: T[number] } = {},
) {
  return Type.Unsafe<T[number]>({ ...options, type: 'string', enum: [...values] });
}

export const fieldName = (description?: string) =>
  Type.String({ minLength: 1, ...(description === undefined ? {} : { description }) });

/** A value in a definition: a constant, a filter's operand. */
const value = Type.Unsafe<string | number | boolean | null | readonly string[]>({
  description: 'A string, number, boolean, null or list of strings.',
  type: ['string', 'number', 'boolean', 'null', 'array'],
  items: { type: 'string' },
});

const policy = (description: string, fallback?: (typeof CONFLICT_POLICIES)[number]) =>
  choice(CONFLICT_POLICIES, {
    description: `${description} left_wins / right_wins: that side's value is written to the other; prefer_left_unless_blank / prefer_right_unless_blank: that side wins unless its value is empty; latest_wins: the most recently modified record wins; manual: nothing is written, a conflict is stored for a person to resolve; unsubscribe_wins (a subscription field, with optOut): an opted-out value wins, and no value that is not opted out is ever written over one that is.`,
    ...(fallback === undefined ? {} : { default: fallback }),
  });

export const closed = { additionalProperties: false } as const;

const transformBranches = [
  Type.Object(
    {
      kind: Type.Literal('value_map'),
      map: Type.Unsafe<Record<string, string>>({
        type: 'object',
        additionalProperties: { type: 'string' },
      }),
      default: Type.Optional(
        Type.Unsafe<string | null>({
          description: 'The value of sources missing from the map (null: empty).',
          type: ['string', 'null'],
        }),
      ),
    },
    {
      ...closed,
      description: 'Picklist translation; the other way of a two-way field uses the inverse map.',
    },
  ),
  Type.Object(
    { kind: Type.Literal('constant'), value },
    { ...closed, description: 'Always the same value.' },
  ),
  Type.Object(
    { kind: Type.Literal('template'), template: Type.String() },
    { ...closed, description: '{{field}} placeholders filled from the source record.' },
  ),
  Type.Object(
    {
      kind: Type.Literal('format'),
      fn: choice(FORMAT_FUNCTIONS),
      format: Type.Optional(
        Type.String({
          description:
            'A date pattern (yyyy MM dd HH mm ss SSS) for date and datetime; a default region (e.g. US) for phone_e164.',
        }),
      ),
    },
    { ...closed, description: 'A formatting function.' },
  ),
  Type.Object(
    { kind: Type.Literal('jsonata'), expression: Type.String({ minLength: 1 }) },
    { ...closed, description: 'A JSONata expression over { value, record }.' },
  ),
];

/** One step of a field's transform, told apart by its kind. */
export const transformSchema = Type.Unsafe<Static<(typeof transformBranches)[number]>>({
  description: 'One step: kind value_map, constant, template, format or jsonata.',
  type: 'object',
  discriminator: { propertyName: 'kind' },
  oneOf: transformBranches,
});

const steps = Type.Optional(Type.Array(transformSchema));

export const mappingSchema = Type.Object(
  {
    left: fieldName('Field on the left object.'),
    right: fieldName('Field on the right object.'),
    direction: choice(FIELD_DIRECTIONS, {
      description:
        "Which way this field is written (within the sync's direction): both, left_to_right, right_to_left, or none (read only, e.g. kept in the snapshot).",
    }),
    policy: Type.Optional(
      policy("When both sides changed this field; defaults to the sync's defaultPolicy."),
    ),
    optOut: Type.Optional(
      Type.Object(
        {
          left: Type.Optional(Type.Array(value)),
          right: Type.Optional(Type.Array(value)),
        },
        {
          ...closed,
          description:
            'For a subscription field: the values that mean the person opted out, per side (a boolean opt-out: [true]; a subscription status: ["unsubscribed", "cleaned"]). Needed by the policy unsubscribe_wins.',
        },
      ),
    ),
    skipNulls: Type.Optional(
      Type.Boolean({ description: 'Never write a null over a value.', default: false }),
    ),
    fillEmptyOnly: Type.Optional(
      Type.Boolean({ description: 'Write only where the target field is empty.', default: false }),
    ),
    sensitive: Type.Optional(
      Type.Boolean({
        description:
          'The values of this field are never kept in the sync log (its lines show the field changed, with its values masked), nor in its exports.',
        default: false,
      }),
    ),
    transforms: Type.Optional(
      Type.Object(
        { leftToRight: steps, rightToLeft: steps },
        {
          ...closed,
          description:
            'Steps applied in order, per direction. A two-way field with a non-invertible transform one way needs the other way too.',
        },
      ),
    ),
  },
  closed,
);

export const filterSchema = Type.Object(
  {
    combine: choice(['all', 'any'], {
      description: 'all: every condition must hold; any: at least one.',
    }),
    conditions: Type.Array(
      Type.Object(
        {
          field: fieldName(),
          op: choice(FILTER_OPERATORS, {
            description:
              'in / not_in take a list; gt, gte, lt, lte and contains need a value; exists / not_exists none.',
          }),
          value: Type.Optional(value),
        },
        closed,
      ),
    ),
  },
  { ...closed, description: 'Only the records of this side that pass take part in the sync.' },
);

export const matchSchema = Type.Object(
  {
    left: fieldName('Key field on the left object, e.g. email.'),
    right: fieldName('Key field on the right object, e.g. Email.'),
    normalizer: choice(MATCH_NORMALIZERS, {
      description:
        'email: trimmed, lower-case; trim: trimmed; case_insensitive: trimmed, lower-case; exact: as is.',
    }),
  },
  {
    ...closed,
    description:
      'How a record without a link finds its counterpart on the other side: equal normalised keys.',
  },
);

/** A side's own part: its object and how records are written to it. */
export const sideProperties = {
  object: Type.String({
    minLength: 1,
    description:
      "The vendor's object, as GET /api/v1/connections/{id}/objects names it, e.g. contacts or Contact.",
  }),
  writeMode: Type.Optional(
    choice(SYNC_WRITE_MODES, {
      description:
        'How records are written to this side: upsert (create or update), update (only linked or matched records), create. Required on both sides of a records sync; not used by events and audience syncs.',
    }),
  ),
  filter: Type.Optional(filterSchema),
  audience: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        "Audience syncs, left side only: one of the source connection's lists or tags (an id GET /api/v1/connections/{id}/audiences lists), whose members are the set, read whole each run: who leaves it leaves the right side's audience. The records are of left.object; the filter still applies. Absent: every record of left.object that passes the filter.",
    }),
  ),
};

/** A side of a sync: its connection, by name in files and by id in the API. */
function sideSchema<R extends Record<string, TSchema>>(connection: R, which: 'left' | 'right') {
  return Type.Object(
    { ...connection, ...sideProperties },
    {
      ...closed,
      description: `The ${which} side: a connection, one of its objects, how records are written to it.`,
    },
  );
}

const identifier = (what: string) =>
  Type.Optional(fieldName(`The source field holding the person's ${what}.`));

const identifiersSchema = Type.Object(
  {
    email: identifier('email address'),
    phone: identifier('phone number'),
    first_name: identifier('first name'),
    last_name: identifier('last name'),
    zip: identifier('postal code'),
    country: identifier('country (ISO 3166-1 alpha-2)'),
    vendor_id: identifier('id at the destination (a click id, a lead id)'),
  } satisfies Record<(typeof IDENTIFIER_TYPES)[number], unknown>,
  {
    ...closed,
    description:
      "Events and audience syncs: who each record is about, by the destination's identifier types, each a source field. Values are normalised and hashed by the destination's rules before they leave Syncline; a record with none of them is skipped.",
  },
);

const consentSchema = Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), fieldName(), {
  description:
    "Events and audience syncs: the destination's consent signals (its connector names them, e.g. ad_user_data, ad_personalization), each read from a source field: true, granted, yes or 1 grant it; false, denied, no or 0 deny it. A person without a signal the destination requires is not sent and is logged as no_consent.",
});

const eventsSchema = Type.Object(
  {
    key: Type.String({
      minLength: 1,
      pattern: '\\{[^{}]+\\}',
      description:
        'The event key, a template over source fields, e.g. "opportunity-{Id}-{StageName}": the same source state gives the same key, so the destination never counts an event twice.',
    }),
    occurredAt: Type.Optional(
      fieldName(
        "The source field holding when the event happened; the record's modification time when absent.",
      ),
    ),
    since: Type.Optional(
      Type.String({
        format: 'date-time',
        description:
          'Backfill: events that happened before this time are not sent (absent: every event the source holds that the destination accepts).',
      }),
    ),
  },
  {
    ...closed,
    description:
      "Events syncs: how a source record becomes an event at the right side's event type (right.object).",
  },
);

/** The definition's fields, whatever refers to its connections. */
export function definitionProperties<R extends Record<string, TSchema>>(connection: R) {
  return {
    kind: Type.Optional(
      choice(SYNC_KINDS, {
        description:
          "What the sync keeps in step: records (two-way or one-way record sync, matched and linked); events (each left record that passes the filter becomes one event at the right side's event type, sent once); audience (the left records that pass the filter are the members of the right side's audience).",
        default: DEFINITION_DEFAULTS.kind,
      }),
    ),
    left: sideSchema(connection, 'left'),
    right: sideSchema(connection, 'right'),
    direction: Type.Optional(
      choice(SYNC_DIRECTIONS, {
        description:
          'Which way records flow: left_to_right, right_to_left, or bidirectional (two-way). Required for a records sync; events and audience syncs flow left to right.',
      }),
    ),
    match: Type.Optional(matchSchema),
    identifiers: Type.Optional(identifiersSchema),
    consent: Type.Optional(consentSchema),
    events: Type.Optional(eventsSchema),
    mappings: Type.Array(mappingSchema, {
      description: 'Field mappings, in order. Each field is written at most once per side.',
    }),
    defaultPolicy: Type.Optional(
      policy(
        'When both sides changed a field since the last sync, the policy of mappings without their own.',
        DEFINITION_DEFAULTS.defaultPolicy,
      ),
    ),
    tieBreaker: Type.Optional(
      choice(SIDES, {
        description: 'Who wins a latest_wins tie (equal modification times).',
        default: DEFINITION_DEFAULTS.tieBreaker,
      }),
    ),
    deletePolicy: Type.Optional(
      choice(DELETE_POLICIES, {
        description:
          'What a delete reported by one side does: ignore it, unlink the pair, or propagate it to the other side.',
        default: DEFINITION_DEFAULTS.deletePolicy,
      }),
    ),
    overlapMs: Type.Optional(
      Type.Number({
        minimum: 0,
        description: `How far before its cursor an incremental read starts again, for late-indexed records (milliseconds), on both sides. Absent: the lag each side's connector declares for its object (the README gives each connector's), ${String(DEFAULT_OVERLAP_MS / 60_000)} minutes for a connector that declares none.`,
      }),
    ),
    maxAttempts: Type.Optional(
      Type.Integer({
        minimum: 1,
        default: DEFAULT_MAX_ATTEMPTS,
        description: 'Attempts before a failed record is marked dead.',
      }),
    ),
  };
}

/**
 * What a records sync (the default kind) cannot do without: a direction, a match and a write mode
 * on each side; events and audience syncs use none of them.
 */
export const recordsNeeds = {
  if: {
    type: 'object',
    properties: { kind: { type: 'string', enum: ['events', 'audience'] } },
    required: ['kind'],
  },
  else: {
    type: 'object',
    required: ['direction', 'match'],
    properties: {
      left: { type: 'object', required: ['writeMode'] },
      right: { type: 'object', required: ['writeMode'] },
    },
  },
} as const;

export type Transform = Static<typeof transformSchema>;
export type FieldMapping = Static<typeof mappingSchema>;
export type FilterGroup = Static<typeof filterSchema>;
export type FilterCondition = FilterGroup['conditions'][number];
export type MatchRule = Static<typeof matchSchema>;
