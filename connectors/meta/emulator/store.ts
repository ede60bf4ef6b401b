/**
 * What the Meta emulator holds: ad accounts with their custom audiences, pixels (datasets) with the
 * server events they received, and the access tokens it accepts. Custom audience members are kept
 * as Meta keeps them, by hashed identifier: a member is the row of hashes it was added with, and
 * rows sharing any hash of the same key are the same person (Meta matches on each key).
 */
import type { Clock } from '../../sdk/contract';

/** Keys of a customer file row ("Customer File Custom Audiences": the multi-key schema). */
export const AUDIENCE_KEYS = ['EMAIL', 'PHONE', 'FN', 'LN', 'ZIP', 'CT', 'ST', 'COUNTRY'] as const;
export type AudienceKey = (typeof AUDIENCE_KEYS)[number];

export type AudienceRow = Partial<Record<AudienceKey, string>>;

export interface StoredAudience {
  id: string;
  name: string;
  accountId: string;
  /** CUSTOM for a customer file audience; WEBSITE, LOOKALIKE… are built by Meta from rules. */
  subtype: string;
  /** 200 normal; 471 flagged by Meta's integrity review (its members cannot be changed). */
  operationStatus: number;
  members: AudienceMembers;
  /** A usersreplace session under way: its id, the batches seen and the rows gathered so far. */
  replacing?: { sessionId: string; batches: Set<number>; rows: AudienceRow[] };
  timeUpdated: number;
}

export interface StoredEvent {
  eventName: string;
  eventId: string | undefined;
  eventTime: number;
  actionSource: string;
  userData: Record<string, unknown>;
  customData: Record<string, unknown>;
  receivedAt: number;
}

export interface StoredPixel {
  id: string;
  name: string;
  /** Live events, in arrival order (duplicates within 48 h are not kept). */
  events: StoredEvent[];
  /** Events sent with a test_event_code, by code: shown in Test Events, never used for ads. */
  testEvents: Map<string, StoredEvent[]>;
  /** When each (event_name, event_id) was last received (unix seconds), for deduplication. */
  received: Map<string, number>;
}

export class MetaStore {
  readonly accounts = new Map<string, { id: string; name: string }>();
  readonly audiences = new Map<string, StoredAudience>();
  readonly pixels = new Map<string, StoredPixel>();
  readonly tokens = new Set<string>();
  private nextId = 23_850_000_000_000;

  constructor(readonly clock: Clock) {}

  now(): number {
    return this.clock.now().getTime();
  }

  id(): string {
    this.nextId += 17;
    return String(this.nextId);
  }

  /** An ad account, by its number (its id in paths is `act_<number>`). */
  createAccount(name: string, id = this.id()): { id: string; name: string } {
    const account = { id, name };
    this.accounts.set(id, account);
    return account;
  }

  createAudience(
    accountId: string,
    name: string,
    options: { subtype?: string; operationStatus?: number; id?: string } = {},
  ): StoredAudience {
    const audience: StoredAudience = {
      id: options.id ?? this.id(),
      name,
      accountId,
      subtype: options.subtype ?? 'CUSTOM',
      operationStatus: options.operationStatus ?? 200,
      members: new AudienceMembers(),
      timeUpdated: this.now(),
    };
    this.audiences.set(audience.id, audience);
    return audience;
  }

  createPixel(name: string, id = this.id()): StoredPixel {
    const pixel: StoredPixel = {
      id,
      name,
      events: [],
      testEvents: new Map(),
      received: new Map(),
    };
    this.pixels.set(pixel.id, pixel);
    return pixel;
  }
}

/**
 * An audience's members: rows of hashes, indexed by each (key, hash), so that a row sharing any of
 * them with a member is that member.
 */
export class AudienceMembers {
  private readonly rows = new Set<AudienceRow>();
  private readonly index = new Map<string, AudienceRow>();

  get size(): number {
    return this.rows.size;
  }

  all(): AudienceRow[] {
    return [...this.rows];
  }

  private find(row: AudienceRow): AudienceRow | undefined {
    for (const key of AUDIENCE_KEYS) {
      const hash = row[key];
      const found = hash === undefined ? undefined : this.index.get(`${key}:${hash}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** Adds a person, merged into the member it matches. */
  add(row: AudienceRow): void {
    let member = this.find(row);
    if (member === undefined) {
      member = {};
      this.rows.add(member);
    }
    for (const key of AUDIENCE_KEYS) {
      const hash = row[key];
      if (hash === undefined) continue;
      const old = member[key];
      if (old !== undefined) this.index.delete(`${key}:${old}`);
      member[key] = hash;
      this.index.set(`${key}:${hash}`, member);
    }
  }

  /** Removes the member a row matches, if any. */
  remove(row: AudienceRow): void {
    const member = this.find(row);
    if (member === undefined) return;
    this.rows.delete(member);
    for (const key of AUDIENCE_KEYS) {
      const hash = member[key];
      if (hash !== undefined) this.index.delete(`${key}:${hash}`);
    }
  }

  clear(): void {
    this.rows.clear();
    this.index.clear();
  }
}
