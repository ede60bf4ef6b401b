/**
 * A sync definition file's content (config/syncs/*.yaml, described by config/schema/
 * sync.schema.json), and its conversions: to the REST API's body, from a sync the API returns,
 * and to a canonical form in which equal definitions are equal data.
 */
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_OVERLAP_MS } from '../engine/definition';

export interface FilterSpec {
  combine: string;
  conditions: Array<{ field: string; op: string; value?: unknown }>;
}

export interface SideSpec {
  /** A connection's name on the server. */
  connection: string;
  object: string;
  writeMode: string;
  filter?: FilterSpec;
}

export interface MappingSpec {
  left: string;
  right: string;
  direction: string;
  transforms?: {
    leftToRight?: Array<Record<string, unknown>>;
    rightToLeft?: Array<Record<string, unknown>>;
  };
  skipNulls?: boolean;
  fillEmptyOnly?: boolean;
  policy?: string;
}

export interface AlertsSpec {
  webhookUrl: string;
  failedRecordRate?: number;
}

/** What a file and the server's sync have in common: the definition's body. */
interface SyncCommon {
  direction: string;
  match: { left: string; right: string; normalizer: string };
  mappings: MappingSpec[];
  defaultPolicy?: string;
  tieBreaker?: string;
  deletePolicy?: string;
  overlapMs?: number;
  maxAttempts?: number;
}

export interface SyncSpec extends SyncCommon {
  name: string;
  enabled?: boolean;
  left: SideSpec;
  right: SideSpec;
  schedule?: Record<string, unknown>;
  alerts?: AlertsSpec;
}

/** A sync as `GET /api/v1/syncs` returns it (the parts read here). */
export interface ServerSync extends SyncCommon {
  id: string;
  name: string;
  enabled: boolean;
  version: number;
  left: { connectionId: string; object: string; writeMode: string; filter?: FilterSpec };
  right: { connectionId: string; object: string; writeMode: string; filter?: FilterSpec };
  schedule: Record<string, unknown> | null;
  /** The webhook URL comes back with its path hidden: `https://hooks.slack.com/…`. */
  alerts: AlertsSpec | null;
}

/** The order of keys in written files, so that exports are stable and diffs small. */
export const TOP_LEVEL_KEYS = [
  'name',
  'enabled',
  'left',
  'right',
  'direction',
  'match',
  'defaultPolicy',
  'tieBreaker',
  'deletePolicy',
  'overlapMs',
  'maxAttempts',
  'schedule',
  'alerts',
  'mappings',
] as const;
const SIDE_KEYS = ['connection', 'object', 'writeMode', 'filter'];
const FILTER_KEYS = ['combine', 'conditions'];
const CONDITION_KEYS = ['field', 'op', 'value'];
const MATCH_KEYS = ['left', 'right', 'normalizer'];
const MAPPING_KEYS = [
  'left',
  'right',
  'direction',
  'policy',
  'skipNulls',
  'fillEmptyOnly',
  'transforms',
];
const TRANSFORMS_KEYS = ['leftToRight', 'rightToLeft'];
const TRANSFORM_KEYS = [
  'kind',
  'fn',
  'format',
  'map',
  'default',
  'value',
  'template',
  'expression',
];
const SCHEDULE_KEYS = ['cron', 'timezone', 'intervalSeconds'];
const ALERTS_KEYS = ['webhookUrl', 'failedRecordRate'];

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
      combine: filter.combine,
      conditions: filter.conditions.map((condition) => ordered(condition, CONDITION_KEYS)),
    },
    FILTER_KEYS,
  ) as unknown as FilterSpec;
}

function sideOf(side: SideSpec): SideSpec {
  return ordered(
    {
      connection: side.connection,
      object: side.object,
      writeMode: side.writeMode,
      filter: filterOf(side.filter),
    },
    SIDE_KEYS,
  ) as unknown as SideSpec;
}

/** A mapping without its no-op parts: false flags and empty transforms. */
function mappingOf(mapping: MappingSpec): MappingSpec {
  const transforms: Record<string, unknown> = {};
  for (const key of TRANSFORMS_KEYS) {
    const steps = mapping.transforms?.[key as 'leftToRight'];
    if (steps !== undefined && steps.length > 0)
      transforms[key] = steps.map((step) => ordered(step, TRANSFORM_KEYS));
  }
  return ordered(
    {
      left: mapping.left,
      right: mapping.right,
      direction: mapping.direction,
      policy: mapping.policy,
      skipNulls: mapping.skipNulls === true ? true : undefined,
      fillEmptyOnly: mapping.fillEmptyOnly === true ? true : undefined,
      transforms: Object.keys(transforms).length > 0 ? transforms : undefined,
    },
    MAPPING_KEYS,
  ) as unknown as MappingSpec;
}

/**
 * The canonical form of a definition: keys in file order, defaults filled in (enabled, policies,
 * overlapMs, maxAttempts), no-op parts dropped. Two definitions that mean the same are equal in
 * this form; `plan` compares these. With `maskUrls`, the alert URL as the server shows it.
 */
export function canonicalSpec(
  spec: SyncSpec,
  options: { maskUrls?: boolean } = {},
): Required<Omit<SyncSpec, 'schedule' | 'alerts'>> & {
  schedule: Record<string, unknown> | null;
  alerts: AlertsSpec | null;
} {
  const alerts =
    spec.alerts === undefined
      ? null
      : (ordered(
          {
            webhookUrl:
              options.maskUrls === true
                ? maskWebhookUrl(spec.alerts.webhookUrl)
                : spec.alerts.webhookUrl,
            failedRecordRate: spec.alerts.failedRecordRate,
          },
          ALERTS_KEYS,
        ) as unknown as AlertsSpec);
  return {
    name: spec.name,
    enabled: spec.enabled ?? true,
    left: sideOf(spec.left),
    right: sideOf(spec.right),
    direction: spec.direction,
    match: ordered(spec.match, MATCH_KEYS) as SyncSpec['match'],
    defaultPolicy: spec.defaultPolicy ?? 'manual',
    tieBreaker: spec.tieBreaker ?? 'left',
    deletePolicy: spec.deletePolicy ?? 'ignore',
    overlapMs: spec.overlapMs ?? DEFAULT_OVERLAP_MS,
    maxAttempts: spec.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    schedule: spec.schedule === undefined ? null : ordered(spec.schedule, SCHEDULE_KEYS),
    alerts,
    mappings: spec.mappings.map(mappingOf),
  };
}

/**
 * The definition as a file holds it: canonical, keys in order, defaults left out (those of the
 * schema: enabled, tieBreaker, deletePolicy, overlapMs, maxAttempts). What `export` writes.
 */
export function fileSpec(spec: SyncSpec): SyncSpec {
  const canonical = canonicalSpec(spec);
  const out: Record<string, unknown> = {
    ...canonical,
    enabled: canonical.enabled ? undefined : false,
    tieBreaker: canonical.tieBreaker === 'left' ? undefined : canonical.tieBreaker,
    deletePolicy: canonical.deletePolicy === 'ignore' ? undefined : canonical.deletePolicy,
    overlapMs: canonical.overlapMs === DEFAULT_OVERLAP_MS ? undefined : canonical.overlapMs,
    maxAttempts: canonical.maxAttempts === DEFAULT_MAX_ATTEMPTS ? undefined : canonical.maxAttempts,
    schedule: canonical.schedule ?? undefined,
    alerts: canonical.alerts ?? undefined,
  };
  return ordered(out, TOP_LEVEL_KEYS) as unknown as SyncSpec;
}

/** A server's sync as a definition, its connection ids replaced by their names. */
export function specFromServer(sync: ServerSync, connectionNames: Map<string, string>): SyncSpec {
  const side = (s: ServerSync['left']): SideSpec => ({
    connection: connectionNames.get(s.connectionId) ?? s.connectionId,
    object: s.object,
    writeMode: s.writeMode,
    ...(s.filter === undefined ? {} : { filter: s.filter }),
  });
  return {
    name: sync.name,
    enabled: sync.enabled,
    left: side(sync.left),
    right: side(sync.right),
    direction: sync.direction,
    match: sync.match,
    mappings: sync.mappings,
    ...(sync.defaultPolicy === undefined ? {} : { defaultPolicy: sync.defaultPolicy }),
    ...(sync.tieBreaker === undefined ? {} : { tieBreaker: sync.tieBreaker }),
    ...(sync.deletePolicy === undefined ? {} : { deletePolicy: sync.deletePolicy }),
    ...(sync.overlapMs === undefined ? {} : { overlapMs: sync.overlapMs }),
    ...(sync.maxAttempts === undefined ? {} : { maxAttempts: sync.maxAttempts }),
    ...(sync.schedule === null ? {} : { schedule: sync.schedule }),
    ...(sync.alerts === null ? {} : { alerts: sync.alerts }),
  };
}

/** The `SyncBodyDto` part of a definition (no name, enabled, schedule or alerts). */
export function definitionBody(
  spec: SyncSpec,
  connectionIds: { left: string; right: string },
): Record<string, unknown> {
  const canonical = canonicalSpec(spec);
  const side = (s: SideSpec, connectionId: string): Record<string, unknown> => ({
    connectionId,
    object: s.object,
    writeMode: s.writeMode,
    ...(s.filter === undefined ? {} : { filter: s.filter }),
  });
  return {
    left: side(canonical.left, connectionIds.left),
    right: side(canonical.right, connectionIds.right),
    direction: canonical.direction,
    match: canonical.match,
    mappings: canonical.mappings,
    defaultPolicy: canonical.defaultPolicy,
    tieBreaker: canonical.tieBreaker,
    deletePolicy: canonical.deletePolicy,
    overlapMs: canonical.overlapMs,
    maxAttempts: canonical.maxAttempts,
  };
}
