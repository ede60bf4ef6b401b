/**
 * The sync definition, described once. From this schema come the engine's types
 * (src/engine/definition.ts), the REST API's validation and OpenAPI description of a sync
 * (src/syncs), the sync file format with its JSON Schema for editors (config/schema/
 * sync.schema.json, written by `npm run schema`), the CLI's file spec (src/sync-config/spec.ts)
 * and the console's types (console/src/types.ts). Adding a field to a sync is one change here.
 *
 * No imports but TypeBox: the console type-checks this file too.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';

export const SYNC_KINDS = ['records', 'events', 'audience'] as const;
/**
 * Who an event or an audience member is, as a destination matches people (the connector contract's
 * IdentifierType): each taken from a source field, normalised and hashed by the destination's rules.
 */
export const IDENTIFIER_TYPES = [
  'email',
  'phone',
  'first_name',
  'last_name',
  'zip',
  'country',
  'vendor_id',
] as const;
export const SYNC_DIRECTIONS = ['left_to_right', 'right_to_left', 'bidirectional'] as const;
export const FIELD_DIRECTIONS = ['both', 'left_to_right', 'right_to_left', 'none'] as const;
export const CONFLICT_POLICIES = [
  'left_wins',
  'right_wins',
  'prefer_left_unless_blank',
  'prefer_right_unless_blank',
  'latest_wins',
  'manual',
] as const;
export const DELETE_POLICIES = ['ignore', 'unlink', 'propagate'] as const;
/** Write modes a sync may use toward a side (the connectors' other modes serve other kinds). */
export const SYNC_WRITE_MODES = ['upsert', 'update', 'create'] as const;
export const MATCH_NORMALIZERS = ['email', 'trim', 'case_insensitive', 'exact'] as const;
export const FILTER_OPERATORS = [
  'eq',
  'neq',
  'in',
  'not_in',
  'contains',
  'exists',
  'not_exists',
  'gt',
  'gte',
  'lt',
  'lte',
] as const;
export const FORMAT_FUNCTIONS = [
  'lowercase',
  'uppercase',
  'trim',
  'phone_e164',
  'country_iso2',
  'date',
  'datetime',
] as const;
export const SIDES = ['left', 'right'] as const;

/** The defaults of a definition the engine cannot do without (the schema documents them too). */
export const DEFINITION_DEFAULTS = {
  kind: 'records',
  defaultPolicy: 'manual',
  tieBreaker: 'left',
  deletePolicy: 'ignore',
} as const;

export const DEFAULT_OVERLAP_MS = 5 * 60 * 1000;
export const DEFAULT_MAX_ATTEMPTS = 10;

/** A string that takes one of `values` (an enum, so errors and documents list them). */
function choice<const T extends readonly string[]>(
  values: T,
  options: { description?: string; default?: T[number] } = {},
) {
  return Type.Unsafe<T[number]>({ ...options, type: 'string', enum: [...values] });
}

const fieldName = (description?: string) =>
  Type.String({ minLength: 1, ...(description === undefined ? {} : { description }) });

/** A value in a definition: a constant, a filter's operand. */
const value = Type.Unsafe<string | number | boolean | null | readonly string[]>({
  description: 'A string, number, boolean, null or list of strings.',
  type: ['string', 'number', 'boolean', 'null', 'array'],
  items: { type: 'string' },
});

const policy = (description: string, fallback?: (typeof CONFLICT_POLICIES)[number]) =>
  choice(CONFLICT_POLICIES, {
    description: `${description} left_wins / right_wins: that side's value is written to the other; prefer_left_unless_blank / prefer_right_unless_blank: that side wins unless its value is empty; latest_wins: the most recently modified record wins; manual: nothing is written, a conflict is stored for a person to resolve.`,
    ...(fallback === undefined ? {} : { default: fallback }),
  });

const closed = { additionalProperties: false } as const;

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
function definitionProperties<R extends Record<string, TSchema>>(connection: R) {
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
        default: DEFAULT_OVERLAP_MS,
        description:
          'How far before its cursor an incremental read starts again, for late-indexed records (milliseconds).',
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
const recordsNeeds = {
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

const nameSchema = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '\\S',
  description:
    "The sync's name on the server, unique: it is how a file is matched with a sync (renaming a sync is a removal and a creation).",
});

const enabledSchema = Type.Boolean({
  description: 'Disabled syncs keep their definition but have no scheduled runs.',
  default: true,
});

// ---------------------------------------------------------------------------------------------
// Files: config/syncs/*.yaml

const fileConnection = {
  connection: Type.String({
    minLength: 1,
    description:
      'The NAME of a connection on the server (GET /api/v1/connections), e.g. "CRM (sandbox)".',
  }),
};

const fileSchedule = Type.Object(
  {
    cron: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          '5 fields (minute hour day month weekday) or 6 (seconds first), e.g. "*/15 * * * *".',
      }),
    ),
    timezone: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'IANA time zone the cron expression is read in, e.g. Europe/Paris; UTC when absent.',
      }),
    ),
    intervalSeconds: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 2_678_400,
        description: 'Run at a fixed interval instead of a cron expression (1 s to 31 days).',
      }),
    ),
  },
  {
    ...closed,
    description:
      'When scheduled runs happen: { cron, timezone } or { intervalSeconds }. Absent: manual and webhook runs only.',
    oneOf: [{ required: ['cron'] }, { required: ['intervalSeconds'] }],
    dependencies: { timezone: ['cron'] },
  },
);

const fileAlerts = Type.Object(
  {
    webhookUrl: Type.String({
      pattern: '^(https?://\\S+|\\$\\{[A-Za-z_][A-Za-z0-9_]*\\})$',
      description:
        'An http(s) URL, or ${ENV_VAR} to read it from the environment of the CLI (such URLs are secrets: keep them out of git). The server shows only its origin, so a change of its path alone is not seen by plan.',
    }),
    failedRecordRate: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 1,
        description:
          "Alert when a run's failed records exceed this share of the records it read (above 0, at most 1).",
      }),
    ),
    anomalyFactor: Type.Optional(
      Type.Number({
        minimum: 2,
        maximum: 1000,
        description:
          'Alert when a run creates or deletes more than this many times its usual number of records (the median of the last 10 runs; 50 records at least, after 3 runs).',
      }),
    ),
  },
  {
    ...closed,
    description:
      "A webhook (Slack-compatible payload) called when a run fails, when a run's share of failed records passes failedRecordRate, when a run creates or deletes anomalyFactor times its usual number, when records keep failing (degraded), and on recovery. Absent: no alerts.",
  },
);

/** One sync per file in config/syncs/ (config/schema/sync.schema.json is this, written out). */
export const syncFileSchema = Type.Object(
  {
    name: nameSchema,
    enabled: Type.Optional(enabledSchema),
    ...definitionProperties(fileConnection),
    schedule: Type.Optional(fileSchedule),
    alerts: Type.Optional(fileAlerts),
  },
  {
    ...closed,
    ...recordsNeeds,
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Syncline sync definition',
    description:
      'One sync per file in config/syncs/. Connections are referenced by name (they hold credentials and are not in config/). `syncline validate`, `plan` and `apply` read these files.',
  },
);

export type SyncFile = Static<typeof syncFileSchema>;

// ---------------------------------------------------------------------------------------------
// The REST API: /api/v1/syncs

const apiConnection = {
  connectionId: Type.String({
    format: 'uuid',
    description: "The connection's id (GET /api/v1/connections).",
  }),
};

const versionSchema = Type.Integer({
  minimum: 1,
  description: 'The version this change is based on; a stale one gets 409.',
});

/** Checked in depth by the scheduler and the alerts (their problems name the offending key). */
const apiRunSettings = {
  schedule: Type.Optional(
    Type.Unsafe<Record<string, unknown> | null>({
      type: 'object',
      nullable: true,
      description:
        'When scheduled runs happen: `{ "cron": "*/15 * * * *", "timezone": "Europe/Paris" }` (5 fields, or 6 with seconds first; timezone defaults to UTC) or `{ "intervalSeconds": 300 }`; null: manual and webhook runs only.',
    }),
  ),
  alerts: Type.Optional(
    Type.Unsafe<Record<string, unknown> | null>({
      type: 'object',
      nullable: true,
      description:
        'Alerts: a webhook (Slack-compatible payload) called when a run fails, when the share of failed records of a run passes failedRecordRate (0 to 1), when a run creates or deletes anomalyFactor (2 to 1000) times its usual number of records, when records keep failing (degraded), and on recovery; null: none. On an update, alerts without webhookUrl keep the URL already set.',
    }),
  ),
};

const apiDefinition = definitionProperties(apiConnection);

/** A sync's definition as the API takes and gives it (everything but name, version, settings). */
export const syncBodySchema = Type.Object(apiDefinition, { ...closed, ...recordsNeeds });

export const createSyncSchema = Type.Object(
  {
    name: nameSchema,
    enabled: Type.Optional(enabledSchema),
    ...apiDefinition,
    ...apiRunSettings,
  },
  { ...closed, ...recordsNeeds },
);

export const updateSyncSchema = Type.Object(
  {
    version: versionSchema,
    name: Type.Optional(nameSchema),
    ...Type.Partial(Type.Object(apiDefinition)).properties,
    ...apiRunSettings,
  },
  closed,
);

export const replaceMappingsSchema = Type.Object(
  { version: versionSchema, mappings: apiDefinition.mappings },
  closed,
);

export const changeMappingSchema = Type.Object(
  { version: versionSchema, mapping: mappingSchema },
  closed,
);

const dateTime = (description: string) => Type.String({ format: 'date-time', description });

/** A sync as the API returns it: its definition, run settings, state and health. */
export const syncSchema = Type.Object({
  id: Type.String({ format: 'uuid', description: "The sync's id." }),
  name: Type.String({ description: "The sync's name, unique." }),
  enabled: Type.Boolean({ description: 'Disabled syncs have no scheduled runs.' }),
  version: Type.Integer({ description: 'Bumped by every change.' }),
  ...apiDefinition,
  kind: choice(SYNC_KINDS, { description: apiDefinition.kind.description }),
  schedule: Type.Unsafe<{ cron?: string; timezone?: string; intervalSeconds?: number } | null>({
    type: 'object',
    nullable: true,
    description: 'See the schedule of a create or update.',
  }),
  nextRunAt: Type.Unsafe<string | null>({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'The next scheduled run (null without a schedule or while disabled).',
  }),
  alerts: Type.Unsafe<{
    webhookUrl: string;
    failedRecordRate?: number;
    anomalyFactor?: number;
  } | null>({
    type: 'object',
    nullable: true,
    description:
      'The alert settings, the webhook URL with its path hidden (such URLs are secrets): `https://hooks.slack.com/…`.',
  }),
  health: Type.Object({
    status: choice(['healthy', 'degraded', 'failing', 'unhealthy'], {
      description:
        'degraded: runs end but records keep failing (the last two runs were partial; see reason); failing: the last run failed and is retried with backoff; unhealthy: SYNCLINE_UNHEALTHY_AFTER runs failed in a row (no early retry; the schedule still runs it).',
    }),
    consecutiveFailures: Type.Integer(),
    retryAt: Type.Unsafe<string | null>({ type: 'string', format: 'date-time', nullable: true }),
    reason: Type.Unsafe<string | null>({
      type: 'string',
      nullable: true,
      description: 'Why the sync is degraded, in words (records failing, queued, given up).',
    }),
  }),
  createdAt: dateTime('When the sync was created.'),
  updatedAt: dateTime('When the sync last changed.'),
});

export type Sync = Static<typeof syncSchema>;
export type SyncBody = Static<typeof syncBodySchema>;
export type CreateSyncBody = Static<typeof createSyncSchema>;
export type UpdateSyncBody = Static<typeof updateSyncSchema>;
export type ReplaceMappingsBody = Static<typeof replaceMappingsSchema>;
export type ChangeMappingBody = Static<typeof changeMappingSchema>;

export type SyncKind = (typeof SYNC_KINDS)[number];
export type IdentifierField = (typeof IDENTIFIER_TYPES)[number];
export type SyncDirection = (typeof SYNC_DIRECTIONS)[number];
export type FieldDirection = (typeof FIELD_DIRECTIONS)[number];
export type ConflictPolicy = (typeof CONFLICT_POLICIES)[number];
export type DeletePolicy = (typeof DELETE_POLICIES)[number];
export type SyncWriteMode = (typeof SYNC_WRITE_MODES)[number];
export type MatchNormalizer = (typeof MATCH_NORMALIZERS)[number];
export type FilterOperator = (typeof FILTER_OPERATORS)[number];
export type FormatFunction = (typeof FORMAT_FUNCTIONS)[number];
export type Side = (typeof SIDES)[number];
export type Transform = Static<typeof transformSchema>;
export type FieldMapping = Static<typeof mappingSchema>;
export type FilterGroup = Static<typeof filterSchema>;
export type FilterCondition = FilterGroup['conditions'][number];
export type MatchRule = Static<typeof matchSchema>;
