/** The queries on API keys. */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { ApiKeyEntity } from './api-key.entity';
import { isUniqueViolation } from './sql';

/** A new key's row: the hash of its secret, never the secret. */
export type NewApiKey = Pick<
  ApiKeyEntity,
  'id' | 'name' | 'role' | 'prefix' | 'keyHash' | 'createdBy' | 'lastUsedAt' | 'revokedAt'
>;

@Injectable()
export class ApiKeyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Stores the key; it comes back with its creation time. */
  insert(row: NewApiKey): Promise<ApiKeyEntity> {
    return this.dataSource.manager.save(this.dataSource.manager.create(ApiKeyEntity, row));
  }

  /** Stores the key unless one with its prefix exists (another replica's); whether it did. */
  async insertUnlessPresent(row: NewApiKey): Promise<boolean> {
    try {
      await this.dataSource.manager.insert(ApiKeyEntity, row);
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /** Every key, revoked ones too, oldest first. */
  all(): Promise<ApiKeyEntity[]> {
    return this.dataSource.manager.find(ApiKeyEntity, { order: { createdAt: 'ASC' } });
  }

  count(): Promise<number> {
    return this.dataSource.manager.count(ApiKeyEntity);
  }

  byId(id: string): Promise<ApiKeyEntity | null> {
    return this.dataSource.manager.findOneBy(ApiKeyEntity, { id });
  }

  byPrefix(prefix: string): Promise<ApiKeyEntity | null> {
    return this.dataSource.manager.findOneBy(ApiKeyEntity, { prefix });
  }

  /** The key of `prefix` unless revoked. */
  activeByPrefix(prefix: string): Promise<ApiKeyEntity | null> {
    return this.dataSource.manager.findOneBy(ApiKeyEntity, { prefix, revokedAt: IsNull() });
  }

  async markRevoked(id: string, at: Date): Promise<void> {
    await this.dataSource.manager.update(ApiKeyEntity, { id }, { revokedAt: at });
  }

  async markUsed(id: string, at: Date): Promise<void> {
    await this.dataSource.manager.update(ApiKeyEntity, { id }, { lastUsedAt: at });
  }
}
