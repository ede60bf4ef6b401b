import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import type { FieldValue } from '../../connectors/sdk/contract';
import { valueProblem } from '../../connectors/sdk/field-values';
import { compileSync } from '../engine/compile';
import { asRecordsSync } from '../engine/definition';
import type { ConflictResolution } from '../engine/ports';
import { AuditService } from '../audit/audit.service';
import type { Caller } from '../auth/api-keys.service';
import { apiError } from '../common/api-error';
import { DiscoveryService } from '../connections/discovery.service';
import { decodeCursor, pageOf } from '../common/pagination';
import type { ConflictEntity } from '../persistence/conflict.entity';
import { ConflictRepository } from '../persistence/conflict.repository';
import { SyncRepository } from '../persistence/sync.repository';
import { Transactions } from '../persistence/transactions';
import type {
  AllConflictQueryDto,
  BulkResolveConflictsDto,
  BulkResolveResultDto,
  ConflictDto,
  ConflictListDto,
  ResolveConflictDto,
} from './conflicts.dto';
import { conflictView } from './conflict-view';

/** Exactly one of `side` and `value`; a null value (clear the field) counts as given. */
function resolutionOf(body: ResolveConflictDto): ConflictResolution {
  const hasSide = body.side !== undefined;
  const hasValue = body.value !== undefined;
  if (hasSide === hasValue) {
    throw new BadRequestException(
      apiError('validation_failed', 'The request is invalid', [
        {
          path: hasSide ? 'value' : 'side',
          problem: hasSide
            ? 'give either side or value, not both'
            : 'give either side ("left" or "right") or value',
        },
      ]),
    );
  }
  return body.side !== undefined ? { side: body.side } : { value: body.value ?? null };
}

/** Conflicts of `manual` fields: list them, and store a person's resolution for the next run. */
@Injectable()
export class ConflictsService {
  constructor(
    private readonly conflicts: ConflictRepository,
    private readonly syncs: SyncRepository,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly discovery: DiscoveryService,
  ) {}

  /**
   * Refuses a custom value that does not fit a side's field (a picklist value outside its
   * options, a text for a number): its write would fail on every run while the conflict read as
   * resolved. The value is in the left side's form; the mapping's transform gives the right's.
   */
  private async checkCustomValue(id: string, value: FieldValue): Promise<void> {
    const row = await this.conflicts.byId(id);
    if (row === null) return;
    const sync = await this.syncs.byId(row.syncId);
    if (sync === null) return;
    const definition = asRecordsSync(sync.definition);
    if (definition === undefined) return;
    const mapping = compileSync(definition).mappings.find(
      (candidate) => candidate.left === row.leftField && candidate.right === row.rightField,
    );
    if (mapping === undefined) return;
    let right: FieldValue;
    try {
      right = await mapping.toRight(value, { [row.leftField]: value });
    } catch (error) {
      throw new BadRequestException(
        apiError('validation_failed', 'The value does not fit', [
          {
            path: 'value',
            problem: `the mapping's transform to ${row.rightField} fails on it: ${error instanceof Error ? error.message : String(error)}`,
          },
        ]),
      );
    }
    const sides = [
      {
        connectionId: sync.leftConnectionId,
        object: sync.definition.left.object,
        field: row.leftField,
        value,
      },
      {
        connectionId: sync.rightConnectionId,
        object: sync.definition.right.object,
        field: row.rightField,
        value: right,
      },
    ];
    for (const side of sides) {
      const descriptor = await this.discovery.field(side.connectionId, side.object, side.field);
      if (descriptor === undefined) continue;
      const problem = valueProblem(descriptor, side.value);
      if (problem !== undefined)
        throw new BadRequestException(
          apiError('validation_failed', `The value does not fit ${side.object}.${side.field}`, [
            { path: 'value', problem: `${side.object}.${side.field}: ${problem}` },
          ]),
        );
    }
  }

  async list(query: AllConflictQueryDto): Promise<ConflictListDto> {
    const limit = query.limit ?? 50;
    const rows = await this.conflicts.page(
      { syncId: query.syncId, status: query.status },
      { after: decodeCursor(query.cursor), limit },
    );
    const { page, nextCursor } = pageOf(rows, limit, (row) => ({
      createdAt: row.createdAt.toISOString(),
      id: row.id,
    }));
    return { items: await this.views(page), nextCursor };
  }

  async listOfSync(syncId: string, query: AllConflictQueryDto): Promise<ConflictListDto> {
    if (!(await this.syncs.exists(syncId))) {
      throw new NotFoundException(
        apiError('not_found', `No sync with id ${syncId}`, [{ path: 'id', problem: 'not found' }]),
      );
    }
    return this.list({ ...query, syncId });
  }

  async get(id: string): Promise<ConflictDto> {
    const row = await this.conflicts.byId(id);
    if (row === null)
      throw new NotFoundException(
        apiError('not_found', `No conflict with id ${id}`, [{ path: 'id', problem: 'not found' }]),
      );
    return (await this.views([row])).at(0) ?? conflictView(row);
  }

  /** The rows as the API gives them, with the failed write of each resolved one. */
  private async views(rows: ConflictEntity[]): Promise<ConflictDto[]> {
    const failures = await this.conflicts.resolutionFailures(
      rows.flatMap((row) =>
        row.status === 'resolved' && row.resolvedAt !== null
          ? [{ ...row, resolvedAt: row.resolvedAt }]
          : [],
      ),
    );
    return rows.map((row) => conflictView(row, failures.get(row.id)));
  }

  /**
   * Resolves many open conflicts with one side's value each ("keep HubSpot for these 8"), in one
   * transaction; those no longer open, or unknown, are left as they are and listed.
   */
  async resolveMany(body: BulkResolveConflictsDto, caller: Caller): Promise<BulkResolveResultDto> {
    const ids = [...new Set(body.ids)];
    const resolution: ConflictResolution = { side: body.side };
    return this.transactions.run(async (manager) => {
      const changed = await this.conflicts.resolveOpen(ids, resolution, manager);
      const rows = await this.conflicts.byIds(ids, manager);
      const byId = new Map(rows.map((row) => [row.id, row]));
      // In the order asked for.
      const resolved = ids.flatMap((id) => {
        const row = byId.get(id);
        return row !== undefined && changed.has(id) ? [row] : [];
      });
      const bySync = new Map<string, string[]>();
      for (const row of resolved)
        bySync.set(row.syncId, [...(bySync.get(row.syncId) ?? []), row.id]);
      for (const [syncId, conflictIds] of bySync)
        await this.audit.record(
          caller,
          'conflicts.resolved',
          { type: 'sync', id: syncId },
          { conflictIds, resolution },
          manager,
        );
      return {
        resolved: resolved.map((row) => conflictView(row)),
        skipped: ids
          .filter((id) => !changed.has(id))
          .map((id) => ({
            id,
            status: (byId.get(id)?.status ?? 'not_found') as 'resolved' | 'applied' | 'not_found',
          })),
      };
    });
  }

  /** Stores the resolution (status `resolved`); the next run writes it. 409 unless open. */
  async resolve(id: string, body: ResolveConflictDto, caller: Caller): Promise<ConflictDto> {
    const resolution = resolutionOf(body);
    if ('value' in resolution) await this.checkCustomValue(id, resolution.value);
    return this.transactions.run(async (manager) => {
      const changed = await this.conflicts.resolveOpen([id], resolution, manager);
      const row = await this.conflicts.byId(id, manager);
      if (row === null)
        throw new NotFoundException(
          apiError('not_found', `No conflict with id ${id}`, [
            { path: 'id', problem: 'not found' },
          ]),
        );
      if (!changed.has(id)) {
        throw new ConflictException(
          apiError('conflict_not_open', `The conflict is ${row.status}, not open`, [
            { path: 'status', problem: row.status },
          ]),
        );
      }
      await this.audit.record(
        caller,
        'conflict.resolved',
        { type: 'sync', id: row.syncId },
        { conflictId: id, resolution },
        manager,
      );
      return conflictView(row);
    });
  }
}
