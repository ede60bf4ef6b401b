/**
 * A sync definition file's content (config/syncs/*.yaml, the file variant of the definition's one
 * schema, src/sync-definition/schema.ts), and its conversions: to the REST API's body, from a sync
 * the API returns, and to a canonical form in which equal definitions are equal data. Keys,
 * their order and defaults come from the schema: a new field needs no change here.
 */
import {
  type FieldMapping,
  type FilterGroup,
  type Sync,
  type SyncFile,
  filterSchema,
  mappingSchema,
  matchSchema,
  syncBodySchema,
  syncFileSchema,
  transformSchema,
} from '../sync-definition/schema';

/** A sync file's content: the file variant of the definition's one schema. */
export type SyncSpec = SyncFile;
export type SideSpec = SyncFile['left'];
export type MappingSpec = FieldMapping;
export type FilterSpec = FilterGroup;
export type AlertsSpec = NonNullable<SyncFile['alerts']>;
/** A sync as `GET /api/v1/syncs` returns it. */
export type ServerSync = Sync;

const FILE = syncFileSchema.properties;

/** The order of keys in written files, so that exports are stable and diffs small: the schema's, mappings last. */
export const TOP_LEVEL_KEYS = [
  ...Object.keys(FILE).filter((key) => key !== 'mappings'),
  'mappings',
];
const SIDE_KEYS = Object.keys(FILE.left.properties);
const FILTER_KEYS = Object.keys(filterSchema.properties);
const CONDITION_KEYS = Object.keys(filterSchema.properties.conditions.items.properties);
const MATCH_KEYS = Object.keys(matchSchema.properties);
const MAPPING_KEYS = Object.keys(mappingSchema.properties);
const TRANSFORMS_KEYS = ['leftToRight', 'rightToLeft'] as const;
const TRANSFORM_KEYS = [
  ...new Set(
    (transformSchema as unknown as { oneOf: Array<{ properties: object }> }).oneOf.flatMap(
      (branch) => Object.keys(branch.properties),
    ),
  ),
];
const SCHEDULE_KEYS = Object.keys(FILE.schedule.properties);
const ALERTS_KEYS = Object.keys(FILE.alerts.properties);
/** Keys a written file keeps even at their default: a sync's conflict policy is worth reading. */
const SHOWN_AT_DEFAULT = new Set(['defaultPolicy']);
/** The top-level keys with a default in the schema, and that default. */
const DEFAULTS: Record<string, unknown> = Object.fromEntries(
  Object.entries(FILE)
    .map(([key, property]): [string, unknown] => [key, (property as { default?: unknown }).default])
    .filter(([, value]) => value !== undefined),
);
/** The keys of a definition's body (the API's), as opposed to a file's name, schedule, alerts. */
const BODY_KEYS = Object.keys(syncBodySchema.properties);

/** A copy of `value` with its known keys in `order` first, then the others as they came. */
function ordered(
  value: Record<string, unknown>,
  order: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of order) if (value[key] !== undefined) out[key] = value[key];
  for (const [key, item] of Object.entries(value))
    if (!(key in out) && item !== undefined) out[key] = item;
  return out;
}

/** `https://hooks.slack.com/…`: a webhook URL as the server shows it (its path is a secret). */
export function maskWebhookUrl(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '…';
  }
}

/** Whether a webhook URL is one the server showed (its path hidden), not one that can be sent. */
export function isMaskedWebhookUrl(url: string): boolean {
  return url.endsWith('/…') || url === '…';
}

const ENV_REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** The name of the environment variable a `${NAME}` value refers to, if it is one. */
export function envReference(value: string): string | undefined {
  return ENV_REFERENCE.exec(value)?.[1];
}

function filterOf(filter: FilterSpec | undefined): FilterSpec | undefined {
  if (filter === undefined) return undefined;
  return ordered(
    {
      ...filter,
      conditions: filter.conditions.map((condition) => ordered(condition, CONDITION_KEYS)),
    },
    FILTER_KEYS,
  ) as unknown as FilterSpec;
}

function sideOf(side: SideSpec): SideSpec {
  return ordered({ ...side, filter: filterOf(side.filter) }, SIDE_KEYS) as unknown as SideSpec;
}

/** A mapping without its no-op parts: false flags and empty transforms. */
function mappingOf(mapping: MappingSpec): MappingSpec {
  const transforms: Record<string, unknown> = {};
  for (const key of TRANSFORMS_KEYS) {
    const steps = mapping.transforms?.[key];
    if (steps !== undefined && steps.length > 0)
      transforms[key] = steps.map((step) => ordered(step, TRANSFORM_KEYS));
  }
  return ordered(
    {
      ...mapping,
      skipNulls: mapping.skipNulls === true ? true : undefined,
      fillEmptyOnly: mapping.fillEmptyOnly === true ? true : undefined,
      sensitive: mapping.sensitive === true ? true : undefined,
      transforms: Object.keys(transforms).length > 0 ? transforms : undefined,
    },
    MAPPING_KEYS,
  ) as unknown as MappingSpec;
}

/** Keys that one kind of sync has and another has not. */
type KindKeys = 'direction' | 'match' | 'identifiers' | 'events';

/** A canonical definition: every key with a default there, schedule and alerts null when absent. */
export type CanonicalSpec = Required<Omit<SyncSpec, 'schedule' | 'alerts' | KindKeys>> &
  Pick<SyncSpec, KindKeys> & {
    schedule: Record<string, unknown> | null;
    alerts: AlertsSpec | null;
  };

/**
 * The canonical form of a definition: keys in file order, the schema's defaults filled in, no-op
 * parts dropped. Two definitions that mean the same are equal in this form; `plan` compares
 * these. With `maskUrls`, the alert URL as the server shows it.
 */
export function canonicalSpec(spec: SyncSpec, options: { maskUrls?: boolean } = {}): CanonicalSpec {
  const alerts =
    spec.alerts === undefined
      ? null
      : (ordered(
          {
            ...spec.alerts,
            webhookUrl:
              options.maskUrls === true
                ? maskWebhookUrl(spec.alerts.webhookUrl)
                : spec.alerts.webhookUrl,
          },
          ALERTS_KEYS,
        ) as unknown as AlertsSpec);
  const canonical = {
    ...DEFAULTS,
    ...Object.fromEntries(
      Object.entries(spec as Record<string, unknown>).filter(([, value]) => value !== undefined),
    ),
    left: sideOf(spec.left),
    right: sideOf(spec.right),
    match: spec.match === undefined ? undefined : ordered(spec.match, MATCH_KEYS),
    schedule: spec.schedule === undefined ? null : ordered(spec.schedule, SCHEDULE_KEYS),
    alerts,
    mappings: spec.mappings.map(mappingOf),
  };
  return ordered(canonical, TOP_LEVEL_KEYS) as unknown as CanonicalSpec;
}

/**
 * The definition as a file holds it: canonical, keys in order, the schema's defaults left out
 * (but the default policy). What `export` writes.
 */
export function fileSpec(spec: SyncSpec): SyncSpec {
  const canonical: Record<string, unknown> = canonicalSpec(spec);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(canonical)) {
    if (value === null) continue;
    if (key in DEFAULTS && DEFAULTS[key] === value && !SHOWN_AT_DEFAULT.has(key)) continue;
    out[key] = value;
  }
  return ordered(out, TOP_LEVEL_KEYS) as unknown as SyncSpec;
}

/** A server's sync as a definition, its connection ids replaced by their names. */
export function specFromServer(sync: ServerSync, connectionNames: Map<string, string>): SyncSpec {
  const side = ({ connectionId, ...own }: ServerSync['left']): SideSpec => ({
    connection: connectionNames.get(connectionId) ?? connectionId,
    ...own,
  });
  const spec: Record<string, unknown> = {};
  for (const key of TOP_LEVEL_KEYS) {
    const value = (sync as unknown as Record<string, unknown>)[key];
    if (value !== undefined && value !== null) spec[key] = value;
  }
  return { ...(spec as unknown as SyncSpec), left: side(sync.left), right: side(sync.right) };
}

/** The API body's part of a definition (no name, enabled, schedule or alerts). */
export function definitionBody(
  spec: SyncSpec,
  connectionIds: { left: string; right: string },
): Record<string, unknown> {
  const canonical: Record<string, unknown> = canonicalSpec(spec);
  const body = Object.fromEntries(BODY_KEYS.map((key) => [key, canonical[key]]));
  const side = ({ connection: _, ...own }: SideSpec, connectionId: string) => ({
    connectionId,
    ...own,
  });
  return {
    ...body,
    left: side(canonical['left'] as SideSpec, connectionIds.left),
    right: side(canonical['right'] as SideSpec, connectionIds.right),
  };
}
