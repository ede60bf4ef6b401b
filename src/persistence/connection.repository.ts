/** The queries on connections. */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type DeepPartial, type EntityManager } from 'typeorm';
import { ConnectionEntity } from './connection.entity';
import { pageAfter, type PageRequest } from './paging';

@Injectable()
export class ConnectionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  byId(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ConnectionEntity | null> {
    return manager.findOneBy(ConnectionEntity, { id });
  }

  byName(name: string): Promise<ConnectionEntity | null> {
    return this.dataSource.manager.findOneBy(ConnectionEntity, { name });
  }

  /** A new connection, not stored until saved. */
  build(fields: DeepPartial<ConnectionEntity>): ConnectionEntity {
    return this.dataSource.manager.create(ConnectionEntity, fields);
  }

  /** Inserts or updates the connection; it comes back with its timestamps. */
  save(entity: ConnectionEntity): Promise<ConnectionEntity> {
    return this.dataSource.manager.save(entity);
  }

  async delete(id: string): Promise<void> {
    await this.dataSource.manager.delete(ConnectionEntity, { id });
  }

  /** A page of connections in the order they were created. */
  page(request: PageRequest): Promise<ConnectionEntity[]> {
    return pageAfter(this.dataSource.manager.createQueryBuilder(ConnectionEntity, 'c'), request, {
      column: 'c.created_at',
      idColumn: 'c.id',
    });
  }

  /** How many connections are real ones (not sandbox connections to a local emulator). */
  countReal(): Promise<number> {
    return this.dataSource.manager.countBy(ConnectionEntity, { sandbox: false });
  }

  /** The connections of a connector kind, oldest first. */
  ofKind(kind: string): Promise<ConnectionEntity[]> {
    return this.dataSource.manager.find(ConnectionEntity, {
      where: { kind },
      order: { createdAt: 'ASC' },
    });
  }
}
