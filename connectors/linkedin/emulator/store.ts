/**
 * What the LinkedIn emulator holds: ad accounts, their conversion rules and the conversion events
 * each received, their DMP segments and the users streamed into them, and the access tokens it
 * accepts. Segment users are kept as LinkedIn keeps them: by the identifiers they were sent with
 * (a hashed email, a first-party tracking id), a user sent again being the same one.
 */
import type { Clock } from '../../sdk/contract';

export interface StoredConversion {
  conversion: string;
  happenedAt: number;
  eventId: string | undefined;
  userIds: { idType: string; idValue: string }[];
  userInfo: Record<string, string> | undefined;
  value: { currencyCode: string; amount: string } | undefined;
  receivedAt: number;
}

export interface StoredRule {
  id: string;
  account: string;
  name: string;
  events: StoredConversion[];
}

export interface StoredSegment {
  id: string;
  account: string;
  name: string;
  /** USER segments take users; COMPANY segments take companies. */
  type: 'USER' | 'COMPANY';
  /** ARCHIVED, EXPIRED and FAILED segments refuse new users here. */
  status: 'BUILDING' | 'UPDATING' | 'READY' | 'ARCHIVED' | 'EXPIRED' | 'FAILED';
  /** Users by their first identifier (`idType:idValue`). */
  users: Map<
    string,
    { userIds: { idType: string; idValue: string }[]; info: Record<string, string> }
  >;
  /** An identifier's key → the user's key. */
  index: Map<string, string>;
}

/** Members a segment needs before campaigns can use it ("Matched Audiences": 300). */
export const MINIMUM_AUDIENCE = 300;

export class LinkedInStore {
  readonly accounts = new Map<string, { id: string; name: string }>();
  readonly rules = new Map<string, StoredRule>();
  readonly segments = new Map<string, StoredSegment>();
  readonly tokens = new Set<string>();
  private next = 510_000;

  constructor(readonly clock: Clock) {}

  now(): number {
    return this.clock.now().getTime();
  }

  id(): string {
    this.next += 7;
    return String(this.next);
  }

  createAccount(name: string, id = this.id()): { id: string; name: string } {
    const account = { id, name };
    this.accounts.set(account.id, account);
    return account;
  }

  createRule(account: string, name: string, id = this.id()): StoredRule {
    const rule: StoredRule = { id, account, name, events: [] };
    this.rules.set(rule.id, rule);
    return rule;
  }

  createSegment(
    account: string,
    name: string,
    options: { type?: StoredSegment['type']; status?: StoredSegment['status']; id?: string } = {},
  ): StoredSegment {
    const segment: StoredSegment = {
      id: options.id ?? this.id(),
      account,
      name,
      type: options.type ?? 'USER',
      status: options.status ?? 'BUILDING',
      users: new Map(),
      index: new Map(),
    };
    this.segments.set(segment.id, segment);
    return segment;
  }
}

const keyOf = (id: { idType: string; idValue: string }): string => `${id.idType}:${id.idValue}`;

/** Adds a user, or updates the one any of its identifiers names. */
export function addUser(
  segment: StoredSegment,
  userIds: { idType: string; idValue: string }[],
  info: Record<string, string>,
): void {
  const known = userIds.map((id) => segment.index.get(keyOf(id))).find((key) => key !== undefined);
  const key =
    known ?? (userIds.at(0) === undefined ? `info:${JSON.stringify(info)}` : keyOf(userIds[0]));
  segment.users.set(key, { userIds, info });
  for (const id of userIds) segment.index.set(keyOf(id), key);
}

/** Removes the user any of these identifiers names. */
export function removeUser(
  segment: StoredSegment,
  userIds: { idType: string; idValue: string }[],
  info: Record<string, string>,
): void {
  const key =
    userIds.map((id) => segment.index.get(keyOf(id))).find((each) => each !== undefined) ??
    (userIds.length === 0 ? `info:${JSON.stringify(info)}` : undefined);
  if (key === undefined) return;
  const user = segment.users.get(key);
  segment.users.delete(key);
  for (const id of user?.userIds ?? []) segment.index.delete(keyOf(id));
}
