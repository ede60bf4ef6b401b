import {
  BadGatewayException,
  BadRequestException,
  HttpException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { type AnyConnector, asRecordConnector } from '../../connectors/sdk/contract';
import { previewSync, type SyncPreview } from '../engine';
import {
  type AnySyncDefinition,
  asRecordsSync,
  definitionFrom,
  kindOf,
} from '../engine/definition';
import { previewOneWay } from '../engine/preview-one-way';
import { apiError, type ApiErrorDetail } from '../common/api-error';
import { ConnectionsService } from '../connections/connections.service';
import { SyncRepository } from '../persistence/sync.repository';
import { TypeOrmSyncStore } from '../persistence/typeorm-sync-store';
import type { PreviewDefinitionBody } from '../sync-definition/schema';
import type { PreviewRequestDto, SyncPreviewDto } from './preview.dto';
import type { Checked } from './schema-body';
import { invalid, withGiven } from './sync-rules';
import { SyncsService } from './syncs.service';

/** The id a definition not saved yet is previewed under: no link, ledger or cursor has it. */
const UNSAVED_SYNC_ID = '00000000-0000-0000-0000-000000000000';

interface PreviewTarget {
  definition: AnySyncDefinition;
  leftConnectionId: string;
  rightConnectionId: string;
}

/** A dry run of a sync on live data: reads both vendors, writes to neither, commits nothing. */
@Injectable()
export class SyncPreviewService {
  constructor(
    private readonly syncs: SyncRepository,
    private readonly store: TypeOrmSyncStore,
    private readonly connections: ConnectionsService,
    private readonly definitions: SyncsService,
  ) {}

  private async saved(id: string, path: string): Promise<PreviewTarget> {
    const sync = await this.syncs.byId(id);
    if (sync === null)
      throw new NotFoundException(
        apiError('not_found', `No sync with id ${id}`, [{ path, problem: 'not found' }]),
      );
    return {
      definition: sync.definition,
      leftConnectionId: sync.leftConnectionId,
      rightConnectionId: sync.rightConnectionId,
    };
  }

  /** The saved sync's preview. */
  async preview(id: string, request: PreviewRequestDto): Promise<SyncPreviewDto> {
    return this.previewOf(await this.saved(id, 'id'), request);
  }

  /**
   * The preview of a definition not saved: refused with a 400 naming each problem the save
   * would name (the schema's, the engine's, the vendors' fields), paths under `definition`.
   */
  async previewDefinition(input: Checked<PreviewDefinitionBody>): Promise<SyncPreviewDto> {
    const { definition: body, syncId, sample, recordIds } = input.body;
    if (syncId !== undefined) await this.saved(syncId, 'syncId');
    const own = (await this.definitions.problemsOf(body)).map((problem): ApiErrorDetail => ({
      ...problem,
      path: `definition.${problem.path}`,
    }));
    const problems = withGiven(input.problems, own);
    if (problems.length > 0) throw invalid(problems);
    return this.previewOf(
      {
        definition: definitionFrom(syncId ?? UNSAVED_SYNC_ID, body),
        leftConnectionId: body.left.connectionId,
        rightConnectionId: body.right.connectionId,
      },
      {
        ...(sample === undefined ? {} : { sample }),
        ...(recordIds === undefined ? {} : { recordIds }),
      },
    );
  }

  private async previewOf(
    target: PreviewTarget,
    request: PreviewRequestDto,
  ): Promise<SyncPreviewDto> {
    const definition = asRecordsSync(target.definition);
    // Only a definition stored before the schema asked for them lacks a records sync's parts.
    if (definition === undefined && kindOf(target.definition) === 'records')
      throw new BadRequestException(
        apiError('validation_failed', 'The sync definition is incomplete', [
          { path: 'match', problem: 'a records sync needs a direction, a match and write modes' },
        ]),
      );
    const opened: AnyConnector[] = [];
    try {
      const leftConnector = await this.connections.connector(target.leftConnectionId);
      opened.push(leftConnector);
      const rightConnector = await this.connections.connector(target.rightConnectionId);
      opened.push(rightConnector);
      const recordIds = request.recordIds;
      let preview: SyncPreview;
      if (definition === undefined)
        preview = await previewOneWay({
          definition: target.definition,
          source: leftConnector,
          destination: rightConnector,
          store: this.store,
          ...(request.sample === undefined ? {} : { sample: request.sample }),
          ...(recordIds?.left === undefined ? {} : { recordIds: recordIds.left }),
        });
      else
        preview = await previewSync({
          definition,
          left: asRecordConnector(leftConnector),
          right: asRecordConnector(rightConnector),
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
      return {
        ...preview,
        apiCalls: { left: leftConnector.callCount(), right: rightConnector.callCount() },
      };
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
