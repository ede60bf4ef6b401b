import {
  BadGatewayException,
  BadRequestException,
  HttpException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { type AnyConnector, asRecordConnector } from '../../connectors/sdk/contract';
import { previewSync } from '../engine';
import { asRecordsSync, kindOf } from '../engine/definition';
import { previewOneWay } from '../engine/preview-one-way';
import { apiError } from '../common/api-error';
import { ConnectionsService } from '../connections/connections.service';
import { SyncRepository } from '../persistence/sync.repository';
import { TypeOrmSyncStore } from '../persistence/typeorm-sync-store';
import type { PreviewRequestDto, SyncPreviewDto } from './preview.dto';

/** A dry run of a sync on live data: reads both vendors, writes to neither, commits nothing. */
@Injectable()
export class SyncPreviewService {
  constructor(
    private readonly syncs: SyncRepository,
    private readonly store: TypeOrmSyncStore,
    private readonly connections: ConnectionsService,
  ) {}

  async preview(id: string, request: PreviewRequestDto): Promise<SyncPreviewDto> {
    const sync = await this.syncs.byId(id);
    if (sync === null)
      throw new NotFoundException(
        apiError('not_found', `No sync with id ${id}`, [{ path: 'id', problem: 'not found' }]),
      );
    const definition = asRecordsSync(sync.definition);
    // Only a definition stored before the schema asked for them lacks a records sync's parts.
    if (definition === undefined && kindOf(sync.definition) === 'records')
      throw new BadRequestException(
        apiError('validation_failed', 'The sync definition is incomplete', [
          { path: 'match', problem: 'a records sync needs a direction, a match and write modes' },
        ]),
      );
    const opened: AnyConnector[] = [];
    try {
      const leftConnector = await this.connections.connector(sync.leftConnectionId);
      opened.push(leftConnector);
      const rightConnector = await this.connections.connector(sync.rightConnectionId);
      opened.push(rightConnector);
      const recordIds = request.recordIds;
      if (definition === undefined)
        return await previewOneWay({
          definition: sync.definition,
          source: leftConnector,
          destination: rightConnector,
          store: this.store,
          ...(request.sample === undefined ? {} : { sample: request.sample }),
          ...(recordIds?.left === undefined ? {} : { recordIds: recordIds.left }),
        });
      const left = asRecordConnector(leftConnector);
      const right = asRecordConnector(rightConnector);
      return await previewSync({
        definition,
        left,
        right,
        // Only findLinks is used: the store is read, never written.
        store: this.store,
        ...(request.sample === undefined ? {} : { sample: request.sample }),
        ...(recordIds === undefined
          ? {}
          : {
              recordIds: {
                ...(recordIds.left === undefined ? {} : { left: recordIds.left }),
                ...(recordIds.right === undefined ? {} : { right: recordIds.right }),
              },
            }),
      });
    } catch (error) {
      if (error instanceof HttpException) throw error;
      throw new BadGatewayException(
        apiError(
          'vendor_error',
          `The preview could not read the vendors: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    } finally {
      await Promise.all(opened.map((connector) => connector.close?.() ?? Promise.resolve()));
    }
  }
}
