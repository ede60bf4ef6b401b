/**
 * `defineConnector`: one declaration per connector (settings, secrets, limits, capabilities,
 * objects), from which come its typed settings, its registry entry, and the glue every connector
 * used to write for itself: the `check()` wrapper, the page-size clamp, chunking of writes,
 * appends and member changes by the declared batch limits, the refusal of a write mode the
 * connector did not declare, and identifiers normalised and hashed by its rules before it sees them.
 */
import type {
  AnyConnector,
  Capability,
  CheckResult,
  ConnectorContext,
  ConnectorCore,
  ConnectorDefinition,
  ConnectorLimits,
  ObjectDescriptor,
  OperationsOf,
  SettingDescriptor,
  RecordLinks,
} from './contract';
import { CallPolicy } from './call-policy';
import { checkFailure, ConnectorError } from './errors';
import { type HttpClient, type HttpClientOptions, createHttpClient } from './http';
import { limiterFor, type VendorBudget } from './rate-limiter';
import { type TokenSession, type TokenSessionOptions, createTokenSession } from './tokens';
import { reportedBudgets } from './vendor-budgets';
import { batchedWrites } from './batching';
import { type OAuthDeclaration, oauthGrant } from './oauth';

/** One setting of a connection; its name is its key in the schema. */
export type SettingSpec = Omit<SettingDescriptor, 'name' | 'required'> & { required?: boolean };
export type SettingsSchema = Record<string, SettingSpec>;

type ValueOf<T extends SettingSpec['type']> = T extends 'number'
  ? number
  : T extends 'boolean'
    ? boolean
    : string;

/** The typed settings a schema describes: a setting with a default or required is always there. */
export type SettingsOf<S extends SettingsSchema> = {
  readonly [K in keyof S]: S[K] extends { required: true } | { default: string | number | boolean }
    ? ValueOf<S[K]['type']>
    : ValueOf<S[K]['type']> | undefined;
};

/** Secrets by name; an absent or empty one is undefined. */
export type SecretsOf<K extends string> = { readonly [N in K]?: string };

/** Call counts and the vendor's budgets, as the connector's call policy keeps them. */
export interface CallStats {
  callCount(): number;
  callsByEndpoint(): Record<string, number>;
  budgets(): VendorBudget[];
}

/** What a connector's `open` builds for one connection: its operations and its call stats. */
export type ConnectorParts<C extends Capability> = OperationsOf<C> & {
  /** Absent: the stats of the policy `open` was given (every call went through it). */
  calls?: CallStats;
  /**
   * Can we authenticate and reach the API? May throw (a ConnectorError becomes the failure's
   * code and reason) or answer a failure itself; `{ account }` on success.
   */
  check(): Promise<{ account?: string } | CheckResult>;
  close?(): Promise<void>;
} & (
    | { discover(): Promise<ObjectDescriptor[]> }
    /** One object described: `discover()` is then the declared `staticObjects`, described in turn. */
    | { describe(object: string): Promise<ObjectDescriptor> }
  );

export interface OpenInput<S extends SettingsSchema, K extends string> {
  settings: SettingsOf<S>;
  secrets: SecretsOf<K>;
  context: ConnectorContext;
  limits: ConnectorLimits;
  /**
   * The connection's call policy, built from the limits (rate limiter, budget headers) and the
   * context (clock, logger, cancellation, call settings); for calls made through an official SDK.
   */
  policy: CallPolicy;
  /** An HTTP client whose calls go through `policy`. */
  http: (options: PolicyHttpOptions) => HttpClient;
  /** An access token session whose refresh `policy` uses when the vendor says the token expired. */
  tokens: (options: TokenSessionOptions) => TokenSession;
}

export type PolicyHttpOptions = Pick<
  HttpClientOptions,
  | 'baseUrl'
  | 'headers'
  | 'classify'
  | 'retryAfter'
  | 'refusal'
  | 'describe'
  | 'idempotent'
  | 'bearer'
  | 'tokenEndpoint'
>;

export interface ConnectorDeclaration<
  S extends SettingsSchema,
  K extends string,
  C extends Capability,
  P extends ConnectorParts<C> = ConnectorParts<C>,
> {
  kind: string;
  label: string;
  /** The vendor's name as users say it ("HubSpot"); the label when absent. */
  vendor?: string;
  /**
   * Links to records in the vendor's UI, from the settings alone (no call); undefined when the
   * settings do not tell where the UI is (an account id not given).
   */
  recordLinks?(settings: SettingsOf<S>): RecordLinks | undefined;
  settings: S;
  /** Names of the secrets (values are never returned by the API nor logged). */
  secrets: readonly K[];
  /**
   * The sets of secrets that can authenticate (an access token; a refresh token with its client):
   * a connection opened without one complete set is refused as `auth_invalid`, naming them.
   */
  credentials?: readonly (readonly K[])[];
  /** Connecting through the vendor's OAuth authorize page (oauth.ts). */
  oauth?: OAuthDeclaration<SettingsOf<S>, K>;
  capabilities: readonly C[];
  /** Limits from the settings alone: no credentials, no call (the scheduler reads them every tick). */
  limits(settings: SettingsOf<S>): ConnectorLimits;
  /** Objects known without calling the vendor. */
  staticObjects?: readonly string[];
  /** A schemaless store (see ConnectorDefinition). */
  openSchema?: boolean;
  /** Hosts `url` settings may point at (see ConnectorDefinition). */
  allowedHosts?: readonly string[];
  /** Headers of the vendor's requests and answers to keep out of logs (lower case). */
  redactHeaders?: readonly string[];
  open(input: OpenInput<S, K>): P;
}

/** A declared connector: its registry entry, plus typed ways to open it. */
export interface DeclaredConnector<
  S extends SettingsSchema,
  K extends string,
  C extends Capability,
  P extends ConnectorParts<C> = ConnectorParts<C>,
> extends ConnectorDefinition {
  readonly capabilities: readonly C[];
  /** Settings as `open` sees them: defaults applied, strings trimmed, types checked. */
  parseSettings(raw: Record<string, unknown>): SettingsOf<S>;
  /** Opens a connection from typed settings and secrets (tests use it with their own context). */
  open(
    settings: SettingsOf<S>,
    secrets: SecretsOf<K>,
    context: ConnectorContext,
  ): DeclaredConnection<P>;
  /**
   * The SDK's wrapping of parts built elsewhere (a connector's own factory for tests), typed by
   * the parts, so optional operations they do have stay visible.
   */
  assemble<Q extends ConnectorParts<C> & { calls: CallStats }>(
    parts: Q,
    limits: ConnectorLimits,
  ): DeclaredConnection<Q>;
}

/** A connection as callers see it: the parts' operations, and the core every connector has. */
export type DeclaredConnection<P> = ConnectorCore &
  Omit<P, 'calls' | 'check' | 'discover' | 'describe' | 'close'>;

function settingValue(name: string, spec: SettingSpec, raw: unknown): unknown {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
    if (spec.default !== undefined) return spec.default;
    if (spec.required === true)
      throw new ConnectorError('bad_request', `the ${name} setting is required`);
    return undefined;
  }
  switch (spec.type) {
    case 'string':
    case 'url':
      if (typeof raw === 'string') return raw.trim();
      break;
    case 'number':
      if (typeof raw === 'number' && Number.isFinite(raw)) {
        if (spec.minimum !== undefined && raw < spec.minimum)
          throw new ConnectorError(
            'bad_request',
            `the ${name} setting must be at least ${spec.minimum}`,
          );
        return raw;
      }
      break;
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      break;
    default: {
      const unreachable: never = spec.type;
      return unreachable;
    }
  }
  throw new ConnectorError('bad_request', `the ${name} setting must be a ${spec.type}`);
}

export function parseSettings<S extends SettingsSchema>(
  schema: S,
  raw: Record<string, unknown>,
): SettingsOf<S> {
  const parsed: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(schema))
    parsed[name] = settingValue(name, spec, raw[name]);
  return parsed as SettingsOf<S>;
}

function parseSecrets<K extends string>(
  names: readonly K[],
  raw: Record<string, string>,
): SecretsOf<K> {
  const parsed: Partial<Record<K, string>> = {};
  for (const name of names) {
    const value = raw[name];
    if (typeof value === 'string' && value.trim() !== '') parsed[name] = value.trim();
  }
  return parsed;
}

/** The operations each capability must have (the types say so; a plain-JS connector is checked). */
const REQUIRED: Record<Capability, readonly (keyof OperationsOf<Capability>)[]> = {
  source: ['read'],
  records: ['write'],
  events: ['identifiers', 'append'],
  audiences: ['identifiers', 'audiences', 'changeMembers'],
  webhooks: ['verify', 'route'],
  jobs: ['prefersJob', 'start', 'poll', 'results'],
};

/** Undefined when the secrets hold one complete set; else the sets in words. */
function missingCredentials<K extends string>(
  sets: readonly (readonly K[])[] | undefined,
  secrets: SecretsOf<K>,
): string | undefined {
  if (sets === undefined || sets.some((set) => set.every((name) => secrets[name] !== undefined)))
    return undefined;
  const words = (set: readonly K[]): string =>
    set.length <= 1 ? set.join('') : `${set[0] ?? ''} with ${set.slice(1).join(' and ')}`;
  return `its secrets ${sets.map(words).join(', or ')}`;
}

/** The parts, with the SDK's share of every connector's work around them. */
function assembled<C extends Capability, P extends ConnectorParts<C>>(
  declared: { kind: string; capabilities: readonly C[]; staticObjects?: readonly string[] },
  parts: P,
  limits: ConnectorLimits,
  calls: CallStats,
): DeclaredConnection<P> {
  const { kind, capabilities } = declared;
  const pageSize = (requested: number | undefined): number =>
    Math.max(1, Math.min(requested ?? limits.pageSize ?? limits.maxPageSize, limits.maxPageSize));
  const operations = parts as Partial<OperationsOf<Capability>>;
  for (const capability of capabilities) {
    const missing = REQUIRED[capability].filter((name) => operations[name] === undefined);
    if (missing.length > 0)
      throw new Error(`${kind} declares ${capability} but has no ${missing.join(', ')}`);
  }
  // The parts' own operations (and any extra a connector offers its tests), then the SDK's share.
  const own = Object.fromEntries(
    Object.entries(parts).filter(
      ([name]) => !['calls', 'check', 'discover', 'describe', 'close'].includes(name),
    ),
  );
  const connection: AnyConnector = {
    ...own,
    kind,
    limits,
    capabilities,
    async check(): Promise<CheckResult> {
      try {
        const answer = await parts.check();
        return 'ok' in answer ? answer : { ok: true, ...answer };
      } catch (error) {
        return checkFailure(error);
      }
    },
    discover: async () => {
      if ('discover' in parts) return parts.discover();
      const objects: ObjectDescriptor[] = [];
      for (const object of declared.staticObjects ?? []) objects.push(await parts.describe(object));
      return objects;
    },
    callCount: () => calls.callCount(),
    callsByEndpoint: () => calls.callsByEndpoint(),
    budgets: () => calls.budgets(),
    ...(parts.close === undefined ? {} : { close: () => parts.close?.() ?? Promise.resolve() }),
  };
  const { read, readDeleted, readAudience } = operations;
  if (read !== undefined) {
    connection.read = (request) => read({ ...request, pageSize: pageSize(request.pageSize) });
    if (readDeleted !== undefined)
      connection.readDeleted = (request) =>
        readDeleted({ ...request, pageSize: pageSize(request.pageSize) });
    if (readAudience !== undefined)
      connection.readAudience = (request) =>
        readAudience({ ...request, pageSize: pageSize(request.pageSize) });
  }
  Object.assign(connection, batchedWrites(kind, limits, operations));
  return connection as DeclaredConnection<P>;
}

export function defineConnector<
  const S extends SettingsSchema,
  const K extends string,
  const C extends Capability,
  P extends ConnectorParts<C>,
>(declaration: ConnectorDeclaration<S, K, C, P>): DeclaredConnector<S, K, C, P> {
  const { kind, capabilities } = declaration;
  const parse = (raw: Record<string, unknown>): SettingsOf<S> =>
    parseSettings(declaration.settings, raw);
  const assemble = <Q extends ConnectorParts<C> & { calls: CallStats }>(
    parts: Q,
    limits: ConnectorLimits,
  ): DeclaredConnection<Q> => assembled(declaration, parts, limits, parts.calls);
  const open = (
    settings: SettingsOf<S>,
    secrets: SecretsOf<K>,
    context: ConnectorContext,
  ): DeclaredConnection<P> => {
    const limits = declaration.limits(settings);
    const { clock, logger, signal } = context;
    const policy = new CallPolicy({
      clock,
      logger,
      signal,
      ...context.calls,
      rateLimiter: context.calls?.rateLimiter ?? limiterFor(limits, clock),
      budgetHeaders: reportedBudgets(limits),
      familyLimits: limits.familyLimits,
    });
    const input = {
      settings,
      secrets,
      context,
      limits,
      policy,
      http: (options: PolicyHttpOptions) =>
        createHttpClient({ ...options, policy, clock, logger, signal }),
      tokens: (options: TokenSessionOptions) => {
        const session = createTokenSession(
          options,
          context.tokens === undefined
            ? undefined
            : { store: context.tokens, now: () => clock.now() },
        );
        policy.useTokens(session);
        return session;
      },
    };
    const missing = missingCredentials(declaration.credentials, secrets);
    if (missing !== undefined)
      throw new ConnectorError('auth_invalid', `${declaration.label} needs ${missing}`);
    const parts = declaration.open(input);
    return assembled(declaration, parts, limits, parts.calls ?? policy);
  };
  return {
    kind,
    label: declaration.label,
    vendor: declaration.vendor ?? declaration.label,
    recordLinksFor: (settings) => declaration.recordLinks?.(parse(settings)) ?? null,
    settings: Object.entries(declaration.settings).map(([name, spec]) => ({
      name,
      ...spec,
      required: spec.required ?? false,
    })),
    secrets: declaration.secrets,
    ...(declaration.credentials === undefined ? {} : { credentials: declaration.credentials }),
    ...(declaration.oauth === undefined ? {} : { oauth: oauthGrant(declaration.oauth, parse) }),
    capabilities,
    ...(declaration.staticObjects === undefined
      ? {}
      : { staticObjects: declaration.staticObjects }),
    ...(declaration.allowedHosts === undefined ? {} : { allowedHosts: declaration.allowedHosts }),
    ...(declaration.openSchema === true ? { openSchema: true } : {}),
    redactHeaders: declaration.redactHeaders ?? [],
    limitsFor: (settings) => declaration.limits(parse(settings)),
    parseSettings: parse,
    open,
    assemble,
    create: (settings, secrets, context) =>
      open(parse(settings), parseSecrets(declaration.secrets, secrets), context),
  };
}
