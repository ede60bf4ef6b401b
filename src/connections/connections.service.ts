import { randomUUID } from 'node:crypto';
import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type {
  AnyConnector,
  CheckResult,
  ConnectorDefinition,
  ConnectorLimits,
} from '../../connectors/sdk/contract';
import { AuditService } from '../audit/audit.service';
import type { Caller } from '../auth/api-keys.service';
import { apiError } from '../common/api-error';
import { decodeCursor, pageOf } from '../common/pagination';
import type { ConnectionEntity } from '../persistence/connection.entity';
import { ConnectionRepository } from '../persistence/connection.repository';
import { SyncRepository } from '../persistence/sync.repository';
import { ConnectionTokens } from '../persistence/connection-tokens';
import { SecretBox } from '../secrets/secret-box';
import { createFactCache, type FactCache } from '../../connectors/sdk/facts';
import { limiterFor, type RateLimiter } from '../../connectors/sdk/rate-limiter';
import { connectorContext } from './connector-context';
import { ConnectorRegistry } from './connector-registry';
import {
  applyChanges,
  checkCredentialsAllowed,
  checkRedirection,
  invalid,
} from './connection-rules';
import { connectionView } from './connection-view';
import type { ConnectionDto, CreateConnectionDto, UpdateConnectionDto } from './connections.dto';
import { checkSecrets, checkSettings } from './settings';

export const CONNECTIONS_OPTIONS = Symbol('CONNECTIONS_OPTIONS');

/** How long a connection's described objects are reused across runs: schemas change rarely. */
const FACTS_TTL_MS = 5 * 60 * 1000;

export interface ConnectionsOptions {
  /** SYNCLINE_ALLOW_SANDBOX: sandbox connections to loopback emulators are allowed. */
  allowSandbox: boolean;
}

@Injectable()
export class ConnectionsService {
  private readonly facts = new Map<string, { version: string; value: FactCache }>();
  private readonly limiters = new Map<string, { version: string; value: RateLimiter }>();

  constructor(
    private readonly connections: ConnectionRepository,
    private readonly syncs: SyncRepository,
    private readonly tokens: ConnectionTokens,
    private readonly box: SecretBox,
    @Inject(CONNECTIONS_OPTIONS) private readonly options: ConnectionsOptions,
    private readonly audit: AuditService,
    private readonly registry: ConnectorRegistry,
  ) {}

  private viewOf(entity: ConnectionEntity): ConnectionDto {
    return connectionView(entity, this.box, this.registry);
  }

  private definitionOf(kind: string): ConnectorDefinition {
    const definition = this.registry.find(kind);
    if (definition === undefined)
      throw invalid([
        { path: 'kind', problem: `is not a connector kind (see GET /api/v1/connectors)` },
      ]);
    return definition;
  }

  private checkSandbox(sandbox: boolean): void {
    if (sandbox && !this.options.allowSandbox) {
      throw invalid([
        {
          path: 'sandbox',
          problem: 'sandbox connections are off on this server (SYNCLINE_ALLOW_SANDBOX)',
        },
      ]);
    }
  }

  private async nameTaken(name: string, exceptId?: string): Promise<boolean> {
    const found = await this.connections.byName(name);
    return found !== null && found.id !== exceptId;
  }

  /** Refuses what `create` would refuse, saving nothing (OAuth checks before the vendor's page). */
  async checkNew(input: CreateConnectionDto, caller: Caller): Promise<void> {
    checkCredentialsAllowed(caller, input.secrets);
    const definition = this.definitionOf(input.kind);
    const sandbox = input.sandbox ?? false;
    this.checkSandbox(sandbox);
    const problems = [
      ...checkSettings(definition, input.settings ?? {}, sandbox),
      ...checkSecrets(definition, input.secrets ?? {}),
    ];
    if (problems.length > 0) throw invalid(problems);
    if (await this.nameTaken(input.name)) {
      throw new ConflictException(
        apiError('name_taken', `A connection named "${input.name}" exists already`, [
          { path: 'name', problem: 'is taken' },
        ]),
      );
    }
  }

  async create(input: CreateConnectionDto, caller: Caller): Promise<ConnectionDto> {
    await this.checkNew(input, caller);
    const sandbox = input.sandbox ?? false;
    const settings = input.settings ?? {};
    const secrets = input.secrets ?? {};
    const entity = await this.connections.save(
      this.connections.build({
        id: randomUUID(),
        name: input.name,
        kind: input.kind,
        settings,
        secrets: Object.keys(secrets).length === 0 ? null : this.box.seal(secrets),
        sandbox,
        dailyCallBudget: input.dailyCallBudget ?? null,
        budgetThreshold: input.budgetThreshold ?? 0.75,
      }),
    );
    await this.audit.record(
      caller,
      'connection.created',
      { type: 'connection', id: entity.id },
      { name: entity.name, kind: entity.kind, secretsSet: Object.keys(secrets).sort() },
    );
    return this.viewOf(entity);
  }

  async list(
    limit: number,
    cursor: string | undefined,
  ): Promise<{ items: ConnectionDto[]; nextCursor: string | null }> {
    const rows = await this.connections.page({ after: decodeCursor(cursor), limit });
    const { page, nextCursor } = pageOf(rows, limit, (row) => ({
      createdAt: row.createdAt.toISOString(),
      id: row.id,
    }));
    return { items: page.map((row) => this.viewOf(row)), nextCursor };
  }

  private async entity(id: string): Promise<ConnectionEntity> {
    const entity = await this.connections.byId(id);
    if (entity === null)
      throw new NotFoundException(
        apiError('not_found', `No connection with id ${id}`, [
          { path: 'id', problem: 'not found' },
        ]),
      );
    return entity;
  }

  /** The stored connection (404 when there is none). */
  async entityOf(id: string): Promise<ConnectionEntity> {
    return this.entity(id);
  }

  async get(id: string): Promise<ConnectionDto> {
    return this.viewOf(await this.entity(id));
  }

  async update(id: string, input: UpdateConnectionDto, caller: Caller): Promise<ConnectionDto> {
    checkCredentialsAllowed(caller, input.secrets);
    const entity = await this.entity(id);
    const definition = this.definitionOf(entity.kind);
    const sandbox = input.sandbox ?? entity.sandbox;
    if (input.sandbox === true) this.checkSandbox(true);
    const settings = applyChanges(entity.settings, input.settings ?? {});
    const urls = checkRedirection(caller, entity, definition, input, settings);
    const sandboxChange =
      input.sandbox !== undefined && input.sandbox !== entity.sandbox
        ? { from: entity.sandbox, to: input.sandbox }
        : undefined;
    const problems = [
      ...checkSettings(definition, settings, sandbox),
      ...checkSecrets(definition, input.secrets ?? {}),
    ];
    if (problems.length > 0) throw invalid(problems);
    if (input.name !== undefined && (await this.nameTaken(input.name, id))) {
      throw new ConflictException(
        apiError('name_taken', `A connection named "${input.name}" exists already`, [
          { path: 'name', problem: 'is taken' },
        ]),
      );
    }
    let sealed = entity.secrets;
    if (input.secrets !== undefined) {
      const secrets = applyChanges(
        entity.secrets === null ? {} : this.box.open(entity.secrets),
        input.secrets,
      );
      sealed = Object.keys(secrets).length === 0 ? null : this.box.seal(secrets);
    }
    entity.name = input.name ?? entity.name;
    entity.settings = settings;
    entity.secrets = sealed;
    entity.sandbox = sandbox;
    if (input.dailyCallBudget !== undefined) entity.dailyCallBudget = input.dailyCallBudget;
    if (input.budgetThreshold !== undefined) entity.budgetThreshold = input.budgetThreshold;
    const saved = await this.connections.save(entity);
    // A token granted with the old credentials or for the old URLs is not this connection's.
    await this.tokens.forget(id);
    await this.audit.record(
      caller,
      'connection.updated',
      { type: 'connection', id },
      {
        fields: Object.keys(input).sort(),
        // Names of the secrets set or removed, never their values.
        secretsChanged: Object.keys(input.secrets ?? {}).sort(),
        // Where the credentials go now: the URL settings that changed, old and new.
        ...(Object.keys(urls).length === 0 ? {} : { urls }),
        ...(sandboxChange === undefined ? {} : { sandbox: sandboxChange }),
      },
    );
    return this.viewOf(saved);
  }

  /** The sandbox runs from now on: sandbox connections are allowed (SYNCLINE_SANDBOX). */
  allowSandboxConnections(): void {
    this.options.allowSandbox = true;
  }

  /** Whether any connection is a real one (not a sandbox connection to a local emulator). */
  async hasRealConnections(): Promise<boolean> {
    return (await this.connections.countReal()) > 0;
  }

  /**
   * Creates the sandbox connection `input.name`, or points it at the emulators' new URLs and
   * credentials (they change at each start). Refuses to turn a real connection into a sandbox one.
   */
  async saveSandboxConnection(input: {
    name: string;
    kind: string;
    settings: Record<string, unknown>;
    secrets: Record<string, string>;
  }): Promise<{ connection: ConnectionDto; created: boolean }> {
    this.checkSandbox(true);
    const definition = this.definitionOf(input.kind);
    const problems = [
      ...checkSettings(definition, input.settings, true),
      ...checkSecrets(definition, input.secrets),
    ];
    if (problems.length > 0) throw invalid(problems);
    const existing = await this.connections.byName(input.name);
    if (existing !== null && (!existing.sandbox || existing.kind !== input.kind)) {
      throw new ConflictException(
        apiError(
          'name_taken',
          `A connection named "${input.name}" exists already and is not a ${input.kind} sandbox connection`,
          [{ path: 'name', problem: 'is taken' }],
        ),
      );
    }
    const entity =
      existing ??
      this.connections.build({
        id: randomUUID(),
        name: input.name,
        kind: input.kind,
        sandbox: true,
        dailyCallBudget: null,
        budgetThreshold: 0.75,
      });
    entity.settings = { ...(existing?.settings ?? {}), ...input.settings };
    entity.secrets = this.box.seal(input.secrets);
    const saved = await this.connections.save(entity);
    await this.tokens.forget(saved.id);
    await this.audit.record(
      null,
      existing === null ? 'connection.created' : 'connection.updated',
      { type: 'connection', id: saved.id },
      { name: saved.name, kind: saved.kind, sandbox: true, by: 'sandbox start' },
    );
    return { connection: this.viewOf(saved), created: existing === null };
  }

  async remove(id: string, caller: Caller): Promise<void> {
    const entity = await this.entity(id);
    const used = await this.syncs.countUsingConnection(id);
    if (used > 0) {
      throw new ConflictException(
        apiError(
          'connection_in_use',
          `The connection is used by ${used} sync(s); delete or change them first`,
        ),
      );
    }
    await this.connections.delete(entity.id);
    await this.audit.record(
      caller,
      'connection.deleted',
      { type: 'connection', id },
      { name: entity.name },
    );
  }

  /** The connection's limits and budgets from its settings alone: no credentials, no call. */
  limitsOf(entity: ConnectionEntity): ConnectorLimits {
    return this.definitionOf(entity.kind).limitsFor(entity.settings);
  }

  /** A connector for this connection, with its credentials opened (server side only). */
  async connector(id: string, signal?: AbortSignal): Promise<AnyConnector> {
    const entity = await this.entity(id);
    const definition = this.definitionOf(entity.kind);
    const secrets = entity.secrets === null ? {} : this.box.open(entity.secrets);
    const base = connectorContext(entity.name, signal);
    const context = {
      ...base,
      facts: this.kept(this.facts, entity, () => createFactCache({ ttlMs: FACTS_TTL_MS })),
      tokens: this.tokens.cacheFor(entity.id),
      calls: {
        ...base.calls,
        rateLimiter: this.kept(this.limiters, entity, () =>
          limiterFor(this.limitsOf(entity), base.clock),
        ),
      },
    };
    return definition.create(entity.settings, secrets, context);
  }

  /**
   * What the process keeps per connection across its connectors: the rate limiter (a run, a check,
   * a discovery and a preview spend the same vendor window) and the facts (its objects as
   * described, for FACTS_TTL_MS). A changed connection starts afresh.
   */
  private kept<T>(
    kept: Map<string, { version: string; value: T }>,
    entity: ConnectionEntity,
    make: () => T,
  ): T {
    const version = entity.updatedAt.toISOString();
    const known = kept.get(entity.id);
    if (known?.version === version) return known.value;
    const value = make();
    kept.set(entity.id, { version, value });
    return value;
  }

  /** Forgets what the connection's connector learned (a refresh of its objects on demand). */
  forgetFacts(id: string): void {
    this.facts.get(id)?.value.clear();
  }

  /**
   * Connections of `kind` that hold the secret `name`, with its value opened: inbound webhooks
   * verify their signatures with it. Server side only; never returned by the API nor logged.
   */
  async openSecretOfKind(
    kind: string,
    name: string,
  ): Promise<Array<{ id: string; settings: Record<string, unknown>; secret: string }>> {
    const rows = await this.connections.ofKind(kind);
    return rows.flatMap((row) => {
      const secret = row.secrets === null ? undefined : this.box.open(row.secrets)[name];
      return typeof secret === 'string' && secret !== ''
        ? [{ id: row.id, settings: row.settings, secret }]
        : [];
    });
  }

  async check(id: string): Promise<CheckResult> {
    let connector: AnyConnector;
    try {
      connector = await this.connector(id);
    } catch (error) {
      if (error instanceof NotFoundException) throw error;
      return {
        ok: false,
        code: 'bad_request',
        reason: error instanceof Error ? error.message : String(error),
      };
    }
    try {
      return await connector.check();
    } finally {
      await connector.close?.();
    }
  }

  /** Opens the connection's connector for `use`, and closes it whatever happens. */
  async withConnector<T>(id: string, use: (connector: AnyConnector) => Promise<T>): Promise<T> {
    const connector = await this.connector(id);
    try {
      return await use(connector);
    } finally {
      await connector.close?.();
    }
  }
}
