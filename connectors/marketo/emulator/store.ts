/**
 * The emulated Marketo instance's data: leads with integer ids, the activity log that Get Lead
 * Changes and Get Deleted Leads read (New Lead 12, Change Data Value 13, Delete Lead 37), static
 * lists and their members. Activities are kept as Marketo's retention policy has it: New Lead for
 * ever, Change Data Value 90 days, Delete Lead 14 days; and they show up `activityLagMs` late.
 */
import type { Clock } from '../../sdk/contract';
import { type LeadValue, activityValue, leadField } from './fields';
import { DEFAULT_CHANNELS, type StoredChannel, type StoredProgram } from './programs';

export const ACTIVITY_NEW_LEAD = 12;
export const ACTIVITY_CHANGE_DATA_VALUE = 13;
export const ACTIVITY_DELETE_LEAD = 37;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface StoredLead {
  id: number;
  /** Values set; a field never set (or emptied) is absent. */
  fields: Partial<Record<string, LeadValue>>;
  createdAt: number;
  updatedAt: number;
}

export interface FieldChange {
  id: number;
  name: string;
  newValue: string | null;
  oldValue: string | null;
}

export interface StoredActivity {
  id: number;
  leadId: number;
  at: number;
  typeId: number;
  /** Change Data Value: the field changed. */
  change?: FieldChange;
  /** Delete Lead: the lead's name. */
  primaryAttributeValue?: string;
  reason: string;
}

export interface StoredList {
  id: number;
  name: string;
  programName?: string;
  createdAt: number;
  updatedAt: number;
  members: Set<number>;
}

export interface StoreOptions {
  clock: Clock;
  /** How late activities show up in Get Lead Changes and Get Deleted Leads (ms). */
  activityLagMs?: number;
  /** Days each kind of activity is kept; Marketo's policy by default. */
  retentionDays?: { changeDataValue?: number; deleteLead?: number };
}

export class MarketoStore {
  private readonly leads = new Map<number, StoredLead>();
  private readonly activities: StoredActivity[] = [];
  readonly lists = new Map<number, StoredList>();
  readonly programs = new Map<number, StoredProgram>();
  readonly channels: StoredChannel[] = DEFAULT_CHANNELS.map((channel) => ({
    ...channel,
    statuses: channel.statuses.map((status) => ({ ...status })),
  }));
  private nextProgramId = 2001;
  private nextLeadId = 1;
  private nextActivityId = 1;
  private nextListId = 1001;
  readonly clock: Clock;
  activityLagMs: number;
  private readonly retention: { changeDataValue: number; deleteLead: number };

  constructor(options: StoreOptions) {
    this.clock = options.clock;
    this.activityLagMs = options.activityLagMs ?? 0;
    this.retention = {
      changeDataValue: options.retentionDays?.changeDataValue ?? 90,
      deleteLead: options.retentionDays?.deleteLead ?? 14,
    };
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  private log(activity: Omit<StoredActivity, 'id' | 'at'>): void {
    this.activities.push({ ...activity, id: this.nextActivityId++, at: this.now() });
  }

  lead(id: number): StoredLead | undefined {
    return this.leads.get(id);
  }

  all(): StoredLead[] {
    return [...this.leads.values()];
  }

  /** Leads whose `field` equals one of `values` (emails without regard to case, as Marketo). */
  find(field: string, values: readonly string[]): StoredLead[] {
    const name = leadField(field)?.name ?? field;
    if (name === 'id') {
      return values
        .map((value) => this.leads.get(Number(value)))
        .filter((lead): lead is StoredLead => lead !== undefined);
    }
    const fold = name === 'email';
    const wanted = new Set(values.map((value) => (fold ? value.toLowerCase() : value)));
    return this.all().filter((lead) => {
      const value = lead.fields[name];
      if (value === null || value === undefined) return false;
      const text = String(value);
      return wanted.has(fold ? text.toLowerCase() : text);
    });
  }

  /** A new lead (its New Lead activity logged). */
  create(fields: Record<string, LeadValue>, reason = 'Web service API'): StoredLead {
    const now = this.now();
    const lead: StoredLead = { id: this.nextLeadId++, fields: {}, createdAt: now, updatedAt: now };
    for (const [name, value] of Object.entries(fields))
      if (value !== null) lead.fields[name] = value;
    this.leads.set(lead.id, lead);
    this.log({ leadId: lead.id, typeId: ACTIVITY_NEW_LEAD, reason });
    return lead;
  }

  /** Sets `fields` on a lead: one Change Data Value activity per value that changed. */
  update(id: number, fields: Record<string, LeadValue>, reason = 'Web service API'): StoredLead {
    const lead = this.leads.get(id);
    if (lead === undefined) throw new Error(`no lead ${String(id)}`);
    let changed = false;
    for (const [name, value] of Object.entries(fields)) {
      const before = lead.fields[name] ?? null;
      if (before === value) continue;
      if (value === null) Reflect.deleteProperty(lead.fields, name);
      else lead.fields[name] = value;
      changed = true;
      this.log({
        leadId: id,
        typeId: ACTIVITY_CHANGE_DATA_VALUE,
        reason,
        change: {
          id: leadField(name)?.id ?? 0,
          name,
          newValue: activityValue(value),
          oldValue: activityValue(before),
        },
      });
    }
    if (changed) lead.updatedAt = this.now();
    return lead;
  }

  delete(id: number): boolean {
    const lead = this.leads.get(id);
    if (lead === undefined) return false;
    this.leads.delete(id);
    for (const list of this.lists.values()) list.members.delete(id);
    for (const program of this.programs.values()) program.members.delete(id);
    const name = [lead.fields.firstName, lead.fields.lastName]
      .filter((part) => part !== undefined && part !== null)
      .join(' ');
    this.log({
      leadId: id,
      typeId: ACTIVITY_DELETE_LEAD,
      reason: 'Web service API',
      primaryAttributeValue: name,
    });
    return true;
  }

  /** Activities as Marketo shows them now: retained, and old enough to be visible. */
  private visible(activity: StoredActivity, now: number): boolean {
    if (activity.at + this.activityLagMs > now) return false;
    const age = now - activity.at;
    if (activity.typeId === ACTIVITY_CHANGE_DATA_VALUE)
      return age <= this.retention.changeDataValue * DAY_MS;
    if (activity.typeId === ACTIVITY_DELETE_LEAD) return age <= this.retention.deleteLead * DAY_MS;
    return true;
  }

  /** The first activity id at or after `at` (the start of a date-based paging token). */
  firstActivityAt(at: number): number {
    const found = this.activities.find((activity) => activity.at >= at);
    return found === undefined ? this.nextActivityId : found.id;
  }

  /**
   * Up to `window` activities from id `from` on, as far as the visible log goes; each kept when
   * `keep` says so. `next` is where the following page starts; `more` whether visible ones remain.
   */
  scan(
    from: number,
    window: number,
    keep: (activity: StoredActivity) => boolean,
  ): { activities: StoredActivity[]; next: number; more: boolean } {
    const now = this.now();
    const start = this.activities.findIndex((activity) => activity.id >= from);
    if (start < 0)
      return { activities: [], next: Math.max(from, this.nextActivityId), more: false };
    const found: StoredActivity[] = [];
    let next = from;
    let scanned = 0;
    let index = start;
    for (; index < this.activities.length && scanned < window; index++) {
      const activity = this.activities.at(index);
      if (activity === undefined || activity.at + this.activityLagMs > now) break;
      scanned++;
      next = activity.id + 1;
      if (this.visible(activity, now) && keep(activity)) found.push(activity);
    }
    const following = this.activities.at(index);
    const more = following !== undefined && following.at + this.activityLagMs <= now;
    return { activities: found, next, more };
  }

  /** A program of `channel` (one of `channels`), with no members. */
  createProgram(name: string, channel: string): StoredProgram {
    const known = this.channels.find((candidate) => candidate.name === channel);
    if (known === undefined) throw new Error(`no channel ${channel}`);
    const program: StoredProgram = {
      id: this.nextProgramId++,
      name,
      type: known.applicableProgramType === 'event' ? 'Event' : 'Default',
      channel,
      createdAt: this.now(),
      members: new Map(),
    };
    this.programs.set(program.id, program);
    return program;
  }

  createList(name: string, programName?: string): StoredList {
    const now = this.now();
    const list: StoredList = {
      id: this.nextListId++,
      name,
      createdAt: now,
      updatedAt: now,
      members: new Set(),
      ...(programName === undefined ? {} : { programName }),
    };
    this.lists.set(list.id, list);
    return list;
  }
}
