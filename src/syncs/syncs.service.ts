import { randomUUID } from 'node:crypto';
import { ConnectorRegistry } from '../connections/connector-registry';
import { DiscoveryService } from '../connections/discovery.service';
import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  Optional,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  checkExpressionBounds,
  definitionFrom,
  kindOf,
  validateSyncDefinition,
  type ValidationProblem,
} from '../engine';
import { sideProblem } from '../engine/one-way';
import { AuditService } from '../audit/audit.service';
import type { Caller } from '../auth/api-keys.service';
import { apiError, type ApiErrorDetail } from '../common/api-error';
import { decodeCursor, pageOf } from '../common/pagination';
import { ConnectionRepository } from '../persistence/connection.repository';
import type { SyncEntity } from '../persistence/sync.entity';
import { SyncRepository } from '../persistence/sync.repository';
import { Transactions } from '../persistence/transactions';
import { ALERT_HISTORY, ALERTS_OPTIONS, type AlertsOptions } from '../alerts/alerts.service';
import { SENT_ALERTS_PER_SYNC, SentAlerts } from '../persistence/sent-alerts';
import { sealAlerts } from '../alerts/sealed-alerts';
import { SecretBox } from '../secrets/secret-box';
import type { Schedule } from '../runs/schedule';
import {
  type CreateSyncBody,
  type FieldMapping,
  type SyncBody,
  type UpdateSyncBody,
} from '../sync-definition/schema';
import type { SentAlertListDto, SyncDto } from './syncs.dto';
import {
  invalid,
  keepingWebhookUrl,
  nextRunAt,
  runSettingsProblems,
  storedAlerts,
  withGiven,
} from './sync-rules';
import { sentAlertView, syncView, toBody } from './sync-view';
import { definitionChanges } from './definition-changes';

@Injectable()
export class SyncsService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Syncs');
  private readonly allowPrivateWebhooks: boolean;

  constructor(
    private readonly syncs: SyncRepository,
    private readonly connections: ConnectionRepository,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly box: SecretBox,
    private readonly registry: ConnectorRegistry,
    private readonly discovery: DiscoveryService,
    @Inject(ALERT_HISTORY) private readonly sentAlerts: SentAlerts,
    @Optional() @Inject(ALERTS_OPTIONS) alertsOptions?: AlertsOptions,
  ) {
    this.allowPrivateWebhooks = alertsOptions?.allowPrivate ?? false;
  }

  /** Seals the webhook URLs that rows written before sealing still hold in clear. */
  async onApplicationBootstrap(): Promise<void> {
    const rows = await this.syncs.withUnsealedAlerts();
    for (const row of rows) {
      const { webhookUrl, failedRecordRate } = row.alerts;
      if (webhookUrl === undefined) continue;
      const sealed = sealAlerts(this.box, {
        webhookUrl,
        ...(failedRecordRate === undefined ? {} : { failedRecordRate }),
      });
      await this.syncs.sealAlerts(row.id, sealed);
    }
    if (rows.length > 0)
      this.logger.log(`Sealed the alert webhook URL of ${String(rows.length)} sync(s)`);
  }

  /** Problems of a definition that need no vendor call: connections exist, the engine's rules. */
  private async staticProblems(
    body: SyncBody,
    manager?: EntityManager,
  ): Promise<ValidationProblem[]> {
    const definition = definitionFrom('new', body);
    const problems: ValidationProblem[] = validateSyncDefinition(definition);
    // Only when it parses: an expression that passes its bounds on a sample record is refused.
    if (problems.length === 0) problems.push(...(await checkExpressionBounds(definition)));
    for (const side of ['left', 'right'] as const) {
      const path = `${side}.connectionId`;
      const connection = await this.connections.byId(body[side].connectionId, manager);
      if (connection === null) {
        problems.push({ path, problem: 'no connection has this id' });
        continue;
      }
      const connector = this.registry.find(connection.kind);
      const problem =
        connector === undefined
          ? `its kind ${connection.kind} is not a connector of this server`
          : sideProblem(kindOf(definition), side, connector);
      if (problem !== undefined) problems.push({ path, problem });
    }
    return problems;
  }

  /**
   * The definition checked with the vendors before it is saved: objects and mapped fields against
   * discover(), an audience sync's audiences. A vendor that cannot be asked now does not stop the
   * save (its runs check again).
   */
  private async targetProblems(body: SyncBody): Promise<ValidationProblem[]> {
    const problems = await this.discovery.definitionProblems(body, 'skip');
    if (kindOf(definitionFrom('new', body)) !== 'audience') return problems;
    return [...problems, ...(await this.discovery.audienceSyncProblems(body.left, body.right))];
  }

  private async entity(id: string, manager?: EntityManager): Promise<SyncEntity> {
    const entity = await this.syncs.byId(id, manager);
    if (entity === null)
      throw new NotFoundException(
        apiError('not_found', `No sync with id ${id}`, [{ path: 'id', problem: 'not found' }]),
      );
    return entity;
  }

  private async checkName(manager: EntityManager, name: string, exceptId?: string): Promise<void> {
    const found = await this.syncs.byName(name, manager);
    if (found !== null && found.id !== exceptId) {
      throw new ConflictException(
        apiError('name_taken', `A sync named "${name}" exists already`, [
          { path: 'name', problem: 'is taken' },
        ]),
      );
    }
  }

  /**
   * Creates a sync. `given`: problems found before (values the schema does not allow); the
   * service's own are reported with them, one per path.
   */
  async create(
    input: CreateSyncBody,
    caller: Caller,
    given: ApiErrorDetail[] = [],
  ): Promise<SyncDto> {
    // Before the transaction: it asks the vendor.
    const target = await this.targetProblems(input);
    return this.transactions.run(async (manager) => {
      const problems = withGiven(given, [
        ...distinct([...(await this.staticProblems(input, manager)), ...target]),
        ...runSettingsProblems(input, this.allowPrivateWebhooks),
      ]);
      if (problems.length > 0) throw invalid(problems);
      await this.checkName(manager, input.name);
      const id = randomUUID();
      const schedule = (input.schedule ?? null) as Schedule | null;
      const saved = await this.syncs.insert(
        {
          id,
          name: input.name,
          leftConnectionId: input.left.connectionId,
          rightConnectionId: input.right.connectionId,
          definition: definitionFrom(id, input),
          enabled: input.enabled ?? true,
          version: 1,
          schedule,
          nextRunAt: nextRunAt(schedule, input.enabled ?? true),
          alerts: storedAlerts(this.box, input.alerts),
        },
        manager,
      );
      await this.audit.record(
        caller,
        'sync.created',
        { type: 'sync', id },
        { name: input.name },
        manager,
      );
      return syncView(saved);
    });
  }

  async list(
    limit: number,
    cursor: string | undefined,
  ): Promise<{ items: SyncDto[]; nextCursor: string | null }> {
    const rows = await this.syncs.page({ after: decodeCursor(cursor), limit });
    const { page, nextCursor } = pageOf(rows, limit, (row) => ({
      createdAt: row.createdAt.toISOString(),
      id: row.id,
    }));
    return { items: page.map(syncView), nextCursor };
  }

  async get(id: string): Promise<SyncDto> {
    return syncView(await this.entity(id));
  }

  /** The alerts the sync sent or tried to send, newest first. */
  async alerts(id: string): Promise<SentAlertListDto> {
    await this.entity(id);
    const rows = await this.sentAlerts.list(id, SENT_ALERTS_PER_SYNC);
    return { items: rows.map(sentAlertView) };
  }

  /**
   * Applies `change` to the sync at `expectedVersion` (any version when undefined), bumps the
   * version and records the change, all in one transaction; a stale version gets 409.
   */
  private async change(
    id: string,
    expectedVersion: number | undefined,
    caller: Caller,
    action: string,
    change: (entity: SyncEntity, manager: EntityManager) => Promise<Record<string, unknown>>,
  ): Promise<SyncDto> {
    return this.transactions.run(async (manager) => {
      const entity = await this.entity(id, manager);
      if (expectedVersion !== undefined && expectedVersion !== entity.version) {
        throw new ConflictException(
          apiError(
            'stale_version',
            `The sync changed since version ${expectedVersion}; read it again and retry`,
            [
              {
                path: 'version',
                problem: `is ${expectedVersion}; the sync is at version ${entity.version}`,
              },
            ],
          ),
        );
      }
      const details = await change(entity, manager);
      if (!(await this.syncs.updateAtVersion(id, entity.version, entity, manager))) {
        throw new ConflictException(
          apiError('stale_version', 'The sync changed meanwhile; read it again and retry'),
        );
      }
      await this.audit.record(
        caller,
        action,
        { type: 'sync', id },
        { ...details, version: entity.version + 1 },
        manager,
      );
      return syncView(await this.entity(id, manager));
    });
  }

  async update(
    id: string,
    input: UpdateSyncBody,
    caller: Caller,
    given: ApiErrorDetail[] = [],
  ): Promise<SyncDto> {
    const { version: _version, name, schedule, alerts: asGiven, ...rest } = input;
    // Only a change of the definition is checked with the vendors (renaming needs no call).
    const target =
      Object.keys(rest).length === 0
        ? []
        : await this.targetProblems({ ...toBody(await this.entity(id)), ...rest });
    return this.change(id, input.version, caller, 'sync.updated', async (entity, manager) => {
      const before = syncView(entity);
      const alerts = keepingWebhookUrl(this.box, asGiven, entity.alerts);
      const merged: SyncBody = { ...toBody(entity), ...rest };
      const problems = withGiven(given, [
        ...distinct([...(await this.staticProblems(merged, manager)), ...target]),
        ...runSettingsProblems({ schedule, alerts }, this.allowPrivateWebhooks),
      ]);
      if (problems.length > 0) throw invalid(problems);
      if (schedule !== undefined) {
        entity.schedule = schedule as Schedule | null;
        entity.nextRunAt = nextRunAt(entity.schedule, entity.enabled);
      }
      if (alerts !== undefined) entity.alerts = storedAlerts(this.box, alerts);
      if (name !== undefined) {
        await this.checkName(manager, name, id);
        entity.name = name;
      }
      entity.leftConnectionId = merged.left.connectionId;
      entity.rightConnectionId = merged.right.connectionId;
      entity.definition = definitionFrom(id, merged);
      return {
        fields: Object.keys(input).filter((key) => key !== 'version'),
        changes: definitionChanges(before, syncView(entity)),
      };
    });
  }

  async replaceMappings(
    id: string,
    version: number,
    mappings: FieldMapping[],
    caller: Caller,
  ): Promise<SyncDto> {
    return this.update(id, { version, mappings }, caller);
  }

  async changeMapping(
    id: string,
    index: number,
    version: number,
    mapping: FieldMapping,
    caller: Caller,
  ): Promise<SyncDto> {
    const current = await this.entity(id);
    if (index >= current.definition.mappings.length) {
      throw new NotFoundException(
        apiError('not_found', `The sync has no mapping ${index}`, [
          { path: 'index', problem: `must be below ${current.definition.mappings.length}` },
        ]),
      );
    }
    const mappings = current.definition.mappings.map((m, i) => (i === index ? mapping : m));
    return this.update(id, { version, mappings }, caller);
  }

  async setEnabled(
    id: string,
    enabled: boolean,
    version: number | undefined,
    caller: Caller,
  ): Promise<SyncDto> {
    return this.change(
      id,
      version,
      caller,
      enabled ? 'sync.enabled' : 'sync.disabled',
      (entity) => {
        entity.enabled = enabled;
        // Re-enabled: the schedule starts again from now, without a burst for the time off.
        entity.nextRunAt = nextRunAt(entity.schedule, enabled);
        return Promise.resolve({});
      },
    );
  }

  async remove(id: string, caller: Caller): Promise<void> {
    await this.transactions.run(async (manager) => {
      const entity = await this.entity(id, manager);
      await this.syncs.delete(id, manager);
      await this.audit.record(
        caller,
        'sync.deleted',
        { type: 'sync', id },
        { name: entity.name },
        manager,
      );
    });
  }

  /**
   * Every problem of a definition, its mappings checked against what the vendors' discover() says
   * (a vendor that cannot be asked now is a problem too).
   */
  async problemsOf(body: SyncBody): Promise<ValidationProblem[]> {
    return distinct([
      ...(await this.staticProblems(body)),
      ...(await this.discovery.definitionProblems(body, 'report')),
    ]);
  }

  /** Every problem of the saved sync (see problemsOf). */
  async validate(id: string): Promise<ValidationProblem[]> {
    return this.problemsOf(toBody(await this.entity(id)));
  }
}

/** Each problem once (two checks may find the same). */
function distinct(problems: ValidationProblem[]): ValidationProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.path}\u0000${problem.problem}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
