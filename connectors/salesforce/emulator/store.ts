/**
 * The emulated org's records: ids in Salesforce's format, CreatedDate / LastModifiedDate /
 * SystemModstamp set on every write (whole seconds, as Salesforce stores them), IsDeleted and a
 * recycle bin for deletes, and the validation Salesforce applies to a record's values.
 */
import type { Clock } from '../../sdk/contract';
import { toId18 } from '../ids';
import { type SfField, type SfObject, findField, findObject } from './describe';

export type SfValue = string | number | boolean | null;

/** One error of a record, as the REST API reports it (`statusCode` in collections results). */
export interface SfError {
  statusCode: string;
  message: string;
  fields: string[];
}

export interface SfRecord {
  Id: string;
  object: string;
  values: Record<string, SfValue>;
  CreatedDate: number;
  LastModifiedDate: number;
  SystemModstamp: number;
  IsDeleted: boolean;
}

export type WriteOutcome =
  { ok: true; id: string; created: boolean } | { ok: false; errors: SfError[] };

/** Salesforce's datetime format in JSON and CSV: `2024-05-01T10:00:00.000+0000`. */
export function formatSfDatetime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function sfError(statusCode: string, message: string, fields: string[] = []): SfError {
  return { statusCode, message, fields };
}

/** The value as stored, or an error, for a field of `field`'s type. */
function coerce(field: SfField, raw: unknown): SfValue | SfError {
  if (raw === null || raw === undefined || raw === '') return null;
  const bad = (): SfError =>
    sfError(
      'INVALID_TYPE_ON_FIELD_IN_RECORD',
      `${field.label}: value not of required type: ${typeof raw === 'string' ? raw : JSON.stringify(raw)}`,
      [field.name],
    );
  switch (field.type) {
    case 'id':
    case 'reference':
    case 'string':
    case 'textarea':
    case 'phone':
    case 'url':
    case 'picklist':
    case 'multipicklist':
    case 'email': {
      if (typeof raw !== 'string' && typeof raw !== 'number') return bad();
      const text = String(raw);
      if (field.length > 0 && text.length > field.length) {
        return sfError(
          'STRING_TOO_LONG',
          `${field.label}: data value too large: ${text.slice(0, 30)} (max length=${field.length})`,
          [field.name],
        );
      }
      if (field.type === 'email' && !EMAIL.test(text)) {
        return sfError('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${text}`, [
          field.name,
        ]);
      }
      if (
        field.type === 'picklist' &&
        field.restrictedPicklist &&
        !field.picklistValues.includes(text)
      ) {
        return sfError(
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          `${field.label}: bad value for restricted picklist field: ${text}`,
          [field.name],
        );
      }
      return text;
    }
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      return bad();
    case 'double':
    case 'currency':
    case 'percent':
    case 'int': {
      const number = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
      if (!Number.isFinite(number)) return bad();
      if (field.type === 'int' && !Number.isInteger(number)) return bad();
      return number;
    }
    case 'date':
      return typeof raw === 'string' && DATE.test(raw) ? raw : bad();
    case 'datetime': {
      const ms = typeof raw === 'string' ? Date.parse(raw) : NaN;
      return Number.isNaN(ms) ? bad() : formatSfDatetime(ms);
    }
    default: {
      const unreachable: never = field.type;
      return unreachable;
    }
  }
}

function isError(value: SfValue | SfError): value is SfError {
  return typeof value === 'object' && value !== null;
}

/**
 * How long the recycle bin keeps a deleted record: "Results are returned for no more than 15 days
 * previous to the day the call is executed" (REST API Developer Guide, "sObject Get Deleted").
 */
export const RECYCLE_BIN_MS = 15 * 24 * 60 * 60 * 1000;

/** A transaction still open: what it writes is stamped when it began, and seen when it commits. */
export interface OpenTransaction {
  readonly startedAt: number;
  /** Creates the record, stamped at the transaction's start, and ends the transaction. */
  commit(object: string, input: Record<string, unknown>): WriteOutcome;
}

export class OrgStore {
  private readonly records = new Map<string, SfRecord>();
  /** Deleted records in the order of their deletion, the oldest first (what purges take). */
  private readonly recycleBin: Array<{ id: string; stamp: number }> = [];
  /** Per object, the deletion stamp of the last record removed for good from the recycle bin. */
  private readonly purgedUntil = new Map<string, number>();
  private readonly openTransactions = new Set<OpenTransaction>();
  /** Records an approval process holds (Approval Processes: "the record is locked"). */
  private readonly locked = new Set<string>();
  /** Records the integration user may read but not edit (sharing, ownership). */
  private readonly readOnly = new Set<string>();
  private readonly createdAt: number;
  private sequence = 0;

  constructor(readonly clock: Clock) {
    this.createdAt = this.stamp();
  }

  /**
   * getDeleted's earliestDateAvailable: "the timestamp … of the last physically deleted object"
   * of the type (SOAP API, "GetDeletedResult"); the org's creation when none was.
   */
  earliestDateAvailable(object: string): number {
    return this.purgedUntil.get(object) ?? this.createdAt;
  }

  /** Removes for good the deleted records stamped before `before` (the bin's expiry, or emptied). */
  purge(before: number): void {
    for (;;) {
      const oldest = this.recycleBin.at(0);
      if (oldest === undefined || oldest.stamp >= before) return;
      this.recycleBin.shift();
      // A delete an allOrNone call rolled back left nothing in the bin.
      const record = this.records.get(oldest.id);
      if (record?.IsDeleted !== true || record.SystemModstamp !== oldest.stamp) continue;
      this.records.delete(oldest.id);
      this.purgedUntil.set(
        record.object,
        Math.max(this.purgedUntil.get(record.object) ?? 0, record.SystemModstamp),
      );
    }
  }

  /** An administrator empties the recycle bin: every deleted record is gone for good. */
  emptyRecycleBin(): void {
    this.purge(Number.POSITIVE_INFINITY);
  }

  /**
   * A long transaction (a trigger cascade, a big Apex job) begun now: its rows carry this
   * moment's SystemModstamp but are seen only once it commits; until then getUpdated's and
   * getDeleted's latestDateCovered stay before it.
   */
  openTransaction(): OpenTransaction {
    const startedAt = this.stamp();
    const transaction: OpenTransaction = {
      startedAt,
      commit: (object, input) => {
        this.openTransactions.delete(transaction);
        return this.create(object, input, startedAt);
      },
    };
    this.openTransactions.add(transaction);
    return transaction;
  }

  /**
   * latestDateCovered for a window ending at `end`: "the last date covered in the call …
   * changes that started after this date but didn't complete before endDate" are left to the
   * next call (SOAP API, "GetUpdatedResult"); whole minutes, as the windows are.
   */
  latestDateCovered(end: number): number {
    let covered = end;
    for (const transaction of this.openTransactions)
      covered = Math.min(covered, transaction.startedAt);
    return Math.floor(covered / 60_000) * 60_000;
  }

  /** Now, truncated to the second as Salesforce stores datetimes. */
  stamp(): number {
    return Math.floor(this.clock.now().getTime() / 1000) * 1000;
  }

  object(name: string): SfObject | undefined {
    return findObject(name);
  }

  /** A record by its 18- or 15-character id (the API takes either form). */
  get(id: string): SfRecord | undefined {
    return this.records.get(toId18(id));
  }

  /** Live records of an object, or with the recycle bin too. */
  list(object: string, withDeleted = false): SfRecord[] {
    const lower = object.toLowerCase();
    const result: SfRecord[] = [];
    for (const record of this.records.values()) {
      if (record.object.toLowerCase() === lower && (withDeleted || !record.IsDeleted))
        result.push(record);
    }
    return result;
  }

  /** The value of any field, system ones included, in the JSON form of the REST API. */
  valueOf(record: SfRecord, field: SfField): SfValue {
    switch (field.name) {
      case 'Id':
        return record.Id;
      case 'IsDeleted':
        return record.IsDeleted;
      case 'CreatedDate':
      case 'LastModifiedDate':
      case 'SystemModstamp':
        return formatSfDatetime(record[field.name]);
      default:
        return record.values[field.name] ?? null;
    }
  }

  /** The checked values of a create or update, or the record's errors. */
  private validate(
    object: SfObject,
    input: Record<string, unknown>,
    mode: 'create' | 'update',
    existing: SfRecord | undefined,
  ): { values: Record<string, SfValue> } | { errors: SfError[] } {
    const errors: SfError[] = [];
    const values: Record<string, SfValue> = {};
    for (const [name, raw] of Object.entries(input)) {
      if (name === 'attributes' || (name === 'Id' && mode === 'update')) continue;
      const field = findField(object, name);
      if (field === undefined) {
        errors.push(
          sfError('INVALID_FIELD', `No such column '${name}' on sobject of type ${object.name}`, [
            name,
          ]),
        );
        continue;
      }
      if (mode === 'create' ? !field.createable : !field.updateable) {
        errors.push(
          sfError(
            'INVALID_FIELD_FOR_INSERT_UPDATE',
            `Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
            [field.name],
          ),
        );
        continue;
      }
      const value = coerce(field, raw);
      if (isError(value)) errors.push(value);
      // A lookup given a 15-character id is stored (and answered) in the 18-character form.
      else
        values[field.name] =
          field.type === 'reference' && typeof value === 'string' ? toId18(value) : value;
    }
    if (errors.length > 0) return { errors };
    const merged = { ...(existing?.values ?? {}), ...values };
    if (mode === 'create' && object.name === 'Lead' && !('Status' in merged)) {
      values['Status'] = 'Open - Not Contacted';
    }
    const missing = object.fields
      .filter((field) => field.required && (merged[field.name] ?? null) === null)
      .map((field) => field.name);
    if (missing.length > 0) {
      return {
        errors: [
          sfError(
            'REQUIRED_FIELD_MISSING',
            `Required fields are missing: [${missing.join(', ')}]`,
            missing,
          ),
        ],
      };
    }
    for (const field of object.fields) {
      const value: SfValue | undefined = Object.hasOwn(values, field.name)
        ? values[field.name]
        : undefined;
      if (
        field.type === 'reference' &&
        typeof value === 'string' &&
        this.records.get(value)?.IsDeleted !== false
      ) {
        return {
          errors: [
            sfError(
              'INVALID_CROSS_REFERENCE_KEY',
              `${field.label}: id value of incorrect type: ${value}`,
              [field.name],
            ),
          ],
        };
      }
      if (!field.unique || value === undefined || value === null) continue;
      const clash = this.list(object.name).find(
        (record) =>
          record.Id !== existing?.Id &&
          String(record.values[field.name] ?? '').toLowerCase() === String(value).toLowerCase(),
      );
      if (clash !== undefined) {
        return {
          errors: [
            sfError(
              'DUPLICATE_VALUE',
              `duplicate value found: ${field.name} duplicates value on record with id: ${clash.Id}`,
              [],
            ),
          ],
        };
      }
    }
    return { values };
  }

  create(
    objectName: string,
    input: Record<string, unknown>,
    now: number = this.stamp(),
  ): WriteOutcome {
    const object = findObject(objectName);
    if (object === undefined)
      return {
        ok: false,
        errors: [sfError('INVALID_TYPE', `sObject type '${objectName}' is not supported.`)],
      };
    const checked = this.validate(object, input, 'create', undefined);
    if ('errors' in checked) return { ok: false, errors: checked.errors };
    // 15 case-sensitive characters and the suffix that encodes their case (connectors/salesforce/ids.ts).
    const id = toId18(`${object.keyPrefix}Dn${String(++this.sequence).padStart(10, '0')}`);
    this.records.set(id, {
      Id: id,
      object: object.name,
      values: checked.values,
      CreatedDate: now,
      LastModifiedDate: now,
      SystemModstamp: now,
      IsDeleted: false,
    });
    return { ok: true, id, created: true };
  }

  update(objectName: string, givenId: string, input: Record<string, unknown>): WriteOutcome {
    const object = findObject(objectName);
    const id = toId18(givenId);
    const record = this.records.get(id);
    if (object === undefined || record === undefined || record.object !== object.name) {
      return {
        ok: false,
        errors: [sfError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id')],
      };
    }
    if (record.IsDeleted)
      return { ok: false, errors: [sfError('ENTITY_IS_DELETED', 'entity is deleted')] };
    const refused = this.refusal(record);
    if (refused !== undefined) return { ok: false, errors: [refused] };
    const checked = this.validate(object, input, 'update', record);
    if ('errors' in checked) return { ok: false, errors: checked.errors };
    const now = this.stamp();
    record.values = { ...record.values, ...checked.values };
    record.LastModifiedDate = now;
    record.SystemModstamp = now;
    return { ok: true, id, created: false };
  }

  /**
   * Converts a lead as the UI does: a Contact made from it, and the lead kept with IsConverted,
   * ConvertedContactId and a converted status. A converted lead can no longer be updated or
   * deleted through the API (CANNOT_UPDATE_CONVERTED_LEAD, "cannot reference converted lead").
   */
  convertLead(leadId: string): string {
    const lead = this.get(leadId);
    if (lead?.object !== 'Lead' || lead.IsDeleted || lead.values['IsConverted'] === true)
      throw new Error(`emulator: no lead ${leadId} to convert`);
    const { FirstName, LastName, Email, Phone } = lead.values;
    const contact = this.create('Contact', { FirstName, LastName, Email, Phone });
    if (!contact.ok) throw new Error(`emulator: ${JSON.stringify(contact.errors)}`);
    const now = this.stamp();
    lead.values = {
      ...lead.values,
      IsConverted: true,
      ConvertedContactId: contact.id,
      Status: 'Closed - Converted',
    };
    lead.LastModifiedDate = now;
    lead.SystemModstamp = now;
    return contact.id;
  }

  /** An approval process locks the record: edits and deletes answer ENTITY_IS_LOCKED. */
  lock(id: string): void {
    this.locked.add(toId18(id));
  }

  /** The integration user loses edit access to the record (INSUFFICIENT_ACCESS_OR_READONLY). */
  makeReadOnly(id: string): void {
    this.readOnly.add(toId18(id));
  }

  /** Why the record cannot be changed at all, whatever the values: Salesforce's status codes. */
  private refusal(record: SfRecord): SfError | undefined {
    if (record.object === 'Lead' && record.values['IsConverted'] === true)
      return sfError('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead');
    if (this.readOnly.has(record.Id))
      return sfError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id');
    if (this.locked.has(record.Id))
      return sfError('ENTITY_IS_LOCKED', 'the entity is locked for editing');
    return undefined;
  }

  /** Upsert on an external-id field: update the one match, create when none. */
  upsert(objectName: string, keyField: string, input: Record<string, unknown>): WriteOutcome {
    const object = findObject(objectName);
    const field = object === undefined ? undefined : findField(object, keyField);
    if (object === undefined || field === undefined || !(field.externalId || field.name === 'Id')) {
      return {
        ok: false,
        errors: [
          sfError(
            'INVALID_FIELD',
            `Field ${keyField} is not an external id field or indexed field`,
          ),
        ],
      };
    }
    const key = Object.entries(input).find(
      ([name]) => name.toLowerCase() === field.name.toLowerCase(),
    )?.[1];
    if (field.name === 'Id') {
      // On Id (Bulk API 2.0, the single-record resource): no Id creates, an Id updates its record.
      const values = Object.fromEntries(
        Object.entries(input).filter(([name]) => name.toLowerCase() !== 'id'),
      );
      if (key === undefined || key === null || key === '') return this.create(object.name, values);
      const existing = typeof key === 'string' ? this.get(key) : undefined;
      if (existing?.object !== object.name)
        return {
          ok: false,
          errors: [
            sfError('NOT_FOUND', `Provided Id does not exist: ${JSON.stringify(key)}`, ['Id']),
          ],
        };
      return this.update(object.name, existing.Id, values);
    }
    if (key === undefined || key === null || key === '') {
      return { ok: false, errors: [sfError('MISSING_ARGUMENT', `${field.name} not specified`)] };
    }
    const keyText = typeof key === 'string' ? key : JSON.stringify(key);
    const matches = this.list(object.name).filter(
      (record) => String(record.values[field.name] ?? '').toLowerCase() === keyText.toLowerCase(),
    );
    if (matches.length > 1) {
      return {
        ok: false,
        errors: [
          sfError(
            'DUPLICATE_EXTERNAL_ID',
            `${field.name}: more than one record found for external id field: ${keyText}`,
            [field.name],
          ),
        ],
      };
    }
    const match = matches.at(0);
    return match === undefined
      ? this.create(object.name, input)
      : this.update(object.name, match.Id, input);
  }

  /** A copy of every record, for an allOrNone call to roll back to. */
  snapshot(): Map<string, SfRecord> {
    return new Map(
      [...this.records].map(([id, record]) => [id, { ...record, values: { ...record.values } }]),
    );
  }

  restore(snapshot: Map<string, SfRecord>): void {
    this.records.clear();
    for (const [id, record] of snapshot) this.records.set(id, record);
  }

  /**
   * A merge, as the UI, Apex's merge statement or the SOAP API's merge() makes it ("merge()", SOAP
   * API Developer Guide; "Triggers and Merge Statements", Apex Developer Guide): up to two records
   * into a master of the same object, for Lead, Contact and Account only. The losers go to the
   * recycle bin with MasterRecordId set to the master (queryAll shows it), records that looked
   * them up are re-parented to the master, and the master takes `masterValues` and is stamped as
   * updated. The REST API has no merge resource, so tests call this directly.
   */
  merge(
    objectName: string,
    masterId: string,
    loserIds: readonly string[],
    masterValues: Record<string, unknown> = {},
  ): WriteOutcome {
    const object = findObject(objectName);
    if (object === undefined || !['Lead', 'Contact', 'Account'].includes(object.name))
      return {
        ok: false,
        errors: [sfError('INVALID_TYPE', `merge is not supported for ${objectName}`)],
      };
    if (loserIds.length === 0 || loserIds.length > 2)
      return {
        ok: false,
        errors: [
          sfError('INVALID_OPERATION', 'a merge combines up to three records, master included'),
        ],
      };
    const master = this.get(masterId);
    const losers = loserIds.map((id) => this.get(id));
    for (const record of [master, ...losers]) {
      if (record?.object !== object.name || record.IsDeleted)
        return {
          ok: false,
          errors: [sfError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id')],
        };
    }
    if (master === undefined) throw new Error('unreachable: master checked above');
    if (losers.some((record) => record?.Id === master.Id))
      return {
        ok: false,
        errors: [sfError('INVALID_OPERATION', 'a record cannot be merged into itself')],
      };
    const updated = this.update(object.name, master.Id, masterValues);
    if (!updated.ok) return updated;
    const now = this.stamp();
    const loserSet = new Set(losers.map((record) => record?.Id));
    for (const record of this.records.values()) {
      if (loserSet.has(record.Id)) {
        record.IsDeleted = true;
        record.values = { ...record.values, MasterRecordId: master.Id };
        record.LastModifiedDate = now;
        record.SystemModstamp = now;
        this.recycleBin.push({ id: record.Id, stamp: now });
        continue;
      }
      for (const [name, value] of Object.entries(record.values)) {
        if (name === 'MasterRecordId' || typeof value !== 'string' || !loserSet.has(value))
          continue;
        record.values = { ...record.values, [name]: master.Id };
        record.SystemModstamp = now;
      }
    }
    return { ok: true, id: master.Id, created: false };
  }

  /** Moves the record to the recycle bin. */
  delete(givenId: string): WriteOutcome {
    const id = toId18(givenId);
    const record = this.records.get(id);
    if (record === undefined)
      return {
        ok: false,
        errors: [sfError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id')],
      };
    if (record.IsDeleted)
      return { ok: false, errors: [sfError('ENTITY_IS_DELETED', 'entity is deleted')] };
    const refused = this.refusal(record);
    if (refused !== undefined) return { ok: false, errors: [refused] };
    const now = this.stamp();
    record.IsDeleted = true;
    record.LastModifiedDate = now;
    record.SystemModstamp = now;
    this.recycleBin.push({ id: record.Id, stamp: now });
    return { ok: true, id, created: false };
  }
}
