import { randomUUID } from 'node:crypto';
import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { apiError } from '../common/api-error';
import type { ApiKeyEntity } from '../persistence/api-key.entity';
import { ApiKeyRepository } from '../persistence/api-key.repository';
import { generateApiKey, hashApiKey, parseApiKey, sameHash } from './api-key-secret';
import type { Role } from './roles';

/** Who called: the key's id, name and role (never the key itself). */
export interface Caller {
  keyId: string;
  name: string;
  role: Role;
}

export interface ApiKeyView {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** last_used_at is written at most this often per key, so reads do not turn into writes. */
const LAST_USED_RESOLUTION_MS = 60_000;

function view(entity: ApiKeyEntity): ApiKeyView {
  return {
    id: entity.id,
    name: entity.name,
    role: entity.role as Role,
    prefix: entity.prefix,
    createdAt: entity.createdAt.toISOString(),
    lastUsedAt: entity.lastUsedAt?.toISOString() ?? null,
    revokedAt: entity.revokedAt?.toISOString() ?? null,
  };
}

@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger(ApiKeysService.name);
  /**
   * What ensureAdminKey did at this start: `created` (and logged) a key, `configured` (the key of
   * SYNCLINE_ADMIN_KEY is registered), or `existing` (keys existed; none shown).
   */
  adminKeyAtStart: 'created' | 'configured' | 'existing' | undefined;
  /** The admin key created at this start, until the start banner takes it (takeCreatedAdminKey). */
  private createdAdminKey: string | undefined;

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly audit: AuditService,
  ) {}

  /** Creates a key; the returned `key` is the only time anyone sees it. */
  async create(
    input: { name: string; role: Role },
    createdBy: string | null,
  ): Promise<ApiKeyView & { key: string }> {
    const { prefix, key } = generateApiKey();
    const entity = await this.keys.insert({
      id: randomUUID(),
      name: input.name,
      role: input.role,
      prefix,
      keyHash: hashApiKey(key),
      createdBy,
      lastUsedAt: null,
      revokedAt: null,
    });
    await this.audit.record(
      createdBy === null ? null : { keyId: createdBy },
      'api_key.created',
      { type: 'api_key', id: entity.id },
      { name: entity.name, role: entity.role, prefix: entity.prefix },
    );
    return { ...view(entity), key };
  }

  async list(): Promise<ApiKeyView[]> {
    return (await this.keys.all()).map(view);
  }

  /** Revokes a key (idempotent); it stops working at once. */
  async revoke(id: string, caller: Pick<Caller, 'keyId'>): Promise<ApiKeyView> {
    const entity = await this.keys.byId(id);
    if (entity === null) {
      throw new NotFoundException(
        apiError('not_found', `No API key with id ${id}`, [{ path: 'id', problem: 'not found' }]),
      );
    }
    if (entity.revokedAt === null) {
      entity.revokedAt = new Date();
      await this.keys.markRevoked(id, entity.revokedAt);
      await this.audit.record(
        caller,
        'api_key.revoked',
        { type: 'api_key', id },
        { name: entity.name },
      );
    }
    return view(entity);
  }

  /** The caller a key belongs to, or undefined for an unknown, malformed or revoked key. */
  async authenticate(rawKey: string): Promise<Caller | undefined> {
    const parsed = parseApiKey(rawKey);
    if (parsed === undefined) return undefined;
    const entity = await this.keys.activeByPrefix(parsed.prefix);
    if (entity === null || !sameHash(entity.keyHash, hashApiKey(parsed.key))) return undefined;
    const now = Date.now();
    if (entity.lastUsedAt === null || now - entity.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.keys.markUsed(entity.id, new Date(now));
    }
    return { keyId: entity.id, name: entity.name, role: entity.role as Role };
  }

  /**
   * On an empty key table: take SYNCLINE_ADMIN_KEY, or create an admin key and log it once.
   * With SYNCLINE_ADMIN_KEY set, that key is (re)registered as an admin key if it is missing.
   */
  async ensureAdminKey(configured: string | undefined): Promise<void> {
    if (configured !== undefined) {
      const parsed = parseApiKey(configured);
      if (parsed === undefined) throw new Error('SYNCLINE_ADMIN_KEY is not a valid API key');
      this.adminKeyAtStart = 'configured';
      const existing = await this.keys.byPrefix(parsed.prefix);
      if (existing !== null) return;
      const inserted = await this.keys.insertUnlessPresent({
        id: randomUUID(),
        name: 'admin (SYNCLINE_ADMIN_KEY)',
        role: 'admin',
        prefix: parsed.prefix,
        keyHash: hashApiKey(parsed.key),
        createdBy: null,
        lastUsedAt: null,
        revokedAt: null,
      });
      // Another replica starting at the same time registered it first.
      if (!inserted) return;
      this.logger.log('Registered the admin key from SYNCLINE_ADMIN_KEY');
      return;
    }
    this.adminKeyAtStart = 'existing';
    if ((await this.keys.count()) > 0) return;
    const created = await this.create({ name: 'admin (first start)', role: 'admin' }, null);
    this.adminKeyAtStart = 'created';
    // Shown once, on purpose: there is no other way in on a new installation. The start banner
    // prints it (main.ts), in plain text beside the URLs, not in a log line.
    this.createdAdminKey = created.key;
    this.logger.warn(
      'No API key existed, so an admin key was created; the start banner shows it this once',
    );
  }

  /** The admin key created at this start, once: later calls get undefined. */
  takeCreatedAdminKey(): string | undefined {
    const key = this.createdAdminKey;
    this.createdAdminKey = undefined;
    return key;
  }
}
