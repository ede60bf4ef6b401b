/**
 * The sync definition, described once. From this schema come the engine's types
 * (src/engine/definition.ts), the REST API's validation and OpenAPI description of a sync
 * (src/syncs), the sync file format with its JSON Schema for editors (config/schema/
 * sync.schema.json, written by `npm run schema`), the CLI's file spec (src/sync-config/spec.ts)
 * and the console's types (console/src/types.ts). Adding a field to a sync is one change here.
 *
 * No imports but TypeBox and its own parts (vocabulary.ts, definition-schema.ts): the console
 * type-checks these files too.
 */
import { type Static, Type } from '@sinclair/typebox';

import {
  choice,
  closed,
  definitionProperties,
  mappingSchema,
  recordsNeeds,
} from './definition-schema';
import { SYNC_KINDS } from './vocabulary';

export * from './vocabulary';
export * from './definition-schema';

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

/** As many ids per side as the saved sync's preview takes (preview.dto.ts). */
const previewIds = Type.Array(Type.String({ minLength: 1 }), { maxItems: 200 });

/** A preview of a definition not saved: a new sync's, or an edit of a saved one (`syncId`). */
export const previewDefinitionSchema = Type.Object(
  {
    definition: syncBodySchema,
    syncId: Type.Optional(
      Type.String({
        format: 'uuid',
        description:
          'The saved sync this definition edits: its links decide what is an update and what a create. Without it, a new sync (nothing linked yet).',
      }),
    ),
    sample: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1000,
        default: 100,
        description: 'Records read per source side, from the start of a full read',
      }),
    ),
    recordIds: Type.Optional(
      Type.Object(
        {
          left: Type.Optional(previewIds),
          right: Type.Optional(previewIds),
        },
        {
          ...closed,
          description:
            'Preview these records (by id on their side) instead of a sample: the ones an edit is meant for',
        },
      ),
    ),
  },
  closed,
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
    properties: {
      cron: { type: 'string' },
      timezone: { type: 'string' },
      intervalSeconds: { type: 'integer' },
    },
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
    properties: {
      webhookUrl: { type: 'string' },
      failedRecordRate: { type: 'number' },
      anomalyFactor: { type: 'number' },
    },
    required: ['webhookUrl'],
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
export type PreviewDefinitionBody = Static<typeof previewDefinitionSchema>;
export type ReplaceMappingsBody = Static<typeof replaceMappingsSchema>;
export type ChangeMappingBody = Static<typeof changeMappingSchema>;
