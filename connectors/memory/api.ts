/**
 * The memory vendor's API: each method is one "HTTP call" — counted, subject to injected faults,
 * answering with copies so that no caller shares mutable values with the store.
 */
import type {
  AudienceDescriptor,
  AudienceMember,
  ConnectorEvent,
  EventResult,
  MemberResult,
  MembershipChange,
  ConnectorRecord,
  DeletedRecord,
  FieldDescriptor,
  FieldType,
  FieldValue,
  ObjectDescriptor,
  WriteRequest,
  WriteResult,
} from '../sdk/contract';
import { ConnectorError } from '../sdk/errors';
import type { MemoryBackend } from './backend';
import type { MemoryOperation } from './faults';
import { copyFields, copyRecord, type CursorPosition } from './store';
import { applyWrite, MEMORY_WRITE_MODES } from './write';

export interface PageQuery {
  /** At or after this ISO instant. */
  since: string | undefined;
  /** Strictly after this (updatedAt or deletedAt, id); wins over `since`. */
  after: CursorPosition | undefined;
  limit: number;
  fields?: readonly string[];
}

function inferType(value: FieldValue): FieldType {
  if (Array.isArray(value)) return 'multi_enum';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'string';
}

export class MemoryApi {
  constructor(private readonly backend: MemoryBackend) {}

  /** Answers on the next microtask, as a network call would; counts the call, applies faults. */
  private async enter(operation: MemoryOperation): Promise<void> {
    this.backend.calls[operation]++;
    await Promise.resolve();
    this.backend.faults.checkCall(operation);
  }

  async changes(
    object: string,
    query: PageQuery,
  ): Promise<{ records: ConnectorRecord[]; hasMore: boolean }> {
    await this.enter('read');
    const page = this.backend.object(object).changedPage(query.since, query.after, query.limit);
    return {
      records: page.records.map((record) => copyRecord(record, query.fields)),
      hasMore: page.hasMore,
    };
  }

  async deletions(
    object: string,
    query: PageQuery,
  ): Promise<{ records: DeletedRecord[]; hasMore: boolean; forgottenUntil: string | null }> {
    await this.enter('readDeleted');
    const store = this.backend.object(object);
    return {
      ...store.deletedPage(query.since, query.after, query.limit),
      forgottenUntil: store.forgottenUntil,
    };
  }

  /** Records whose `field` equals one of `values` exactly. */
  async search(
    object: string,
    field: string,
    values: readonly string[],
    fields: readonly string[],
  ): Promise<ConnectorRecord[]> {
    await this.enter('lookup');
    const store = this.backend.object(object);
    const found: ConnectorRecord[] = [];
    const seen = new Set<string>();
    for (const value of values) {
      for (const id of store.idsWhere(field, value)) {
        const record = store.records.get(id);
        if (record === undefined || seen.has(id)) continue;
        seen.add(id);
        found.push(copyRecord(record, fields));
      }
    }
    return found;
  }

  async fetch(
    object: string,
    ids: readonly string[],
    fields: readonly string[],
  ): Promise<ConnectorRecord[]> {
    await this.enter('get');
    const store = this.backend.object(object);
    const found: ConnectorRecord[] = [];
    for (const id of new Set(ids)) {
      const record = store.records.get(id);
      if (record !== undefined) found.push(copyRecord(record, fields));
    }
    return found;
  }

  async batchWrite(request: WriteRequest): Promise<WriteResult[]> {
    await this.enter('write');
    const { faults } = this.backend;
    const context = { object: request.object, mode: request.mode };
    const results = applyWrite(
      {
        store: this.backend.object(request.object),
        now: this.backend.nowIso(),
        newId: () => this.backend.newId(),
        rejection: (operation) => faults.rejectionFor(operation, context),
      },
      request,
    );
    this.backend.writtenRecords += request.operations.length;
    if (faults.takeFailureAfter('write')) {
      throw new ConnectorError('network', 'connection reset after the vendor applied the write');
    }
    return results;
  }

  /** Events of one type, each kept once by key: a key it already holds is a duplicate. */
  async append(object: string, events: readonly ConnectorEvent[]): Promise<EventResult[]> {
    await this.enter('append');
    const { faults } = this.backend;
    const held = this.backend.eventsOf(object);
    const receivedAt = this.backend.nowIso();
    const results = events.map((event): EventResult => {
      const error = faults.itemRejectionFor(event.key, { operation: 'append', object });
      if (error !== undefined) return { key: event.key, status: 'failed', error };
      if (held.has(event.key)) return { key: event.key, status: 'duplicate' };
      held.set(event.key, {
        key: event.key,
        occurredAt: event.occurredAt,
        identifiers: { ...event.identifiers },
        ...(event.consent === undefined ? {} : { consent: { ...event.consent } }),
        fields: copyFields(event.fields),
        receivedAt,
      });
      return { key: event.key, status: 'sent' };
    });
    if (faults.takeFailureAfter('append'))
      throw new ConnectorError('network', 'connection reset after the vendor took the events');
    return results;
  }

  async audiences(): Promise<AudienceDescriptor[]> {
    await this.enter('audiences');
    return [...this.backend.audiences.values()].map((audience) => ({
      id: audience.id,
      name: audience.name,
      writable: audience.writable,
      ...(audience.reason === undefined ? {} : { reason: audience.reason }),
    }));
  }

  /** The audience holds exactly `members` afterwards: one result per member (added or skipped). */
  async replaceMembers(
    audience: string,
    members: readonly AudienceMember[],
  ): Promise<MemberResult[]> {
    await this.enter('members');
    const held = this.backend.audiences.get(audience);
    if (held === undefined)
      throw new ConnectorError('not_found', `no audience ${audience}`, { status: 404 });
    const keep = new Set(members.map((member) => member.key));
    for (const key of [...held.members.keys()])
      if (!keep.has(key)) {
        held.members.delete(key);
        held.history.push({ op: 'remove', key });
      }
    return members.map((member) => {
      const present = held.members.has(member.key);
      held.members.set(member.key, { ...member.identifiers });
      if (present) return { key: member.key, status: 'skipped' };
      held.history.push({ op: 'add', key: member.key });
      return { key: member.key, status: 'added' };
    });
  }

  /** One page of an audience's members, by key, after `afterKey`. */
  async members(
    audience: string,
    afterKey: string | null,
    limit: number,
  ): Promise<AudienceMember[]> {
    await this.enter('audiences');
    const held = this.backend.audiences.get(audience);
    if (held === undefined)
      throw new ConnectorError('not_found', `no audience ${audience}`, { status: 404 });
    return [...held.members.entries()]
      .filter(([key]) => afterKey === null || key > afterKey)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, limit)
      .map(([key, identifiers]) => ({ key, identifiers: { ...identifiers } }));
  }

  /** Adds then removes, one result per member in that order; a no-op is `skipped`. */
  async changeMembers(change: MembershipChange): Promise<MemberResult[]> {
    await this.enter('members');
    const audience = this.backend.audiences.get(change.audience);
    if (audience === undefined)
      throw new ConnectorError('not_found', `no audience ${change.audience}`, { status: 404 });
    if (!audience.writable) {
      const error = {
        code: 'permission_denied' as const,
        message: `audience ${change.audience} is not writable: ${audience.reason ?? 'a dynamic list'}`,
        retryable: false,
      };
      return [...change.add, ...change.remove].map((member) => ({
        key: member.key,
        status: 'failed',
        error,
      }));
    }
    const { faults } = this.backend;
    const results: MemberResult[] = [];
    for (const op of ['add', 'remove'] as const) {
      for (const member of op === 'add' ? change.add : change.remove) {
        const error = faults.itemRejectionFor(member.key, { operation: op, object: audience.id });
        if (error !== undefined) {
          results.push({ key: member.key, status: 'failed', error });
          continue;
        }
        const present = audience.members.has(member.key);
        if (op === 'add' ? present : !present) {
          if (op === 'add') audience.members.set(member.key, { ...member.identifiers });
          results.push({ key: member.key, status: 'skipped' });
          continue;
        }
        if (op === 'add') audience.members.set(member.key, { ...member.identifiers });
        else audience.members.delete(member.key);
        audience.history.push({ op, key: member.key });
        results.push({ key: member.key, status: op === 'add' ? 'added' : 'removed' });
      }
    }
    if (faults.takeFailureAfter('members'))
      throw new ConnectorError('network', 'connection reset after the vendor changed the list');
    return results;
  }

  async ping(): Promise<void> {
    await this.enter('check');
  }

  async describe(): Promise<ObjectDescriptor[]> {
    await this.enter('discover');
    return this.backend.objectNames().map((name) => {
      const store = this.backend.object(name);
      const declared = store.descriptors !== undefined;
      const fields =
        store.descriptors === undefined
          ? this.inferFields(name)
          : [...store.descriptors.values()].map((field) => ({ ...field }));
      return {
        name,
        label: name,
        fields,
        deletes: true,
        writeModes: [...MEMORY_WRITE_MODES],
        ...(declared ? {} : { fieldsInferred: true }),
      };
    });
  }

  async refreshToken(): Promise<void> {
    this.backend.calls.refresh++;
    await Promise.resolve();
    this.backend.faults.refreshed();
  }

  /** Without descriptors, fields are whatever the first records hold. */
  private inferFields(object: string): FieldDescriptor[] {
    const store = this.backend.object(object);
    const types = new Map<string, FieldType>();
    let scanned = 0;
    for (const record of store.records.values()) {
      if (scanned++ >= 100) break;
      for (const [name, value] of Object.entries(record.fields)) {
        if (!types.has(name) && value !== null) types.set(name, inferType(value));
      }
    }
    return [...types.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, type]) => ({
        name,
        label: name,
        type,
        required: false,
        readOnly: false,
        unique: store.uniqueFields.has(name),
        externalId: store.uniqueFields.has(name),
      }));
  }
}
