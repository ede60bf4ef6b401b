import {
  BadGatewayException,
  BadRequestException,
  HttpException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import type {
  AudienceDescriptor,
  FieldDescriptor,
  ObjectDescriptor,
} from '../../connectors/sdk/contract';
import type { ValidationProblem } from '../engine/validate';
import { asRecordsSync, definitionFrom, kindOf } from '../engine/definition';
import type { SyncBody } from '../sync-definition/schema';
import { checkAgainstDiscovery } from '../engine/validate-discovery';
import { apiError } from '../common/api-error';
import { ConnectionsService } from './connections.service';
import { ConnectorRegistry } from './connector-registry';
import type { AudienceListDto, FieldListDto, ObjectListDto } from './discovery.dto';

/** How long a connection's discovered objects are reused: schemas change rarely, calls cost. */
const CACHE_TTL_MS = 5 * 60 * 1000;

interface Discovered {
  /** The connection's updatedAt when discovered: a changed connection is discovered again. */
  version: string;
  at: Date;
  objects: ObjectDescriptor[];
}

/** The vendor's objects and fields through the connection (connector.discover()), cached. */
@Injectable()
export class DiscoveryService {
  private readonly cache = new Map<string, Discovered>();

  constructor(
    private readonly connections: ConnectionsService,
    private readonly registry: ConnectorRegistry,
  ) {}

  /** Whether the connection's connector is a schemaless store (nothing to check against). */
  private async openSchema(connectionId: string): Promise<boolean> {
    const entity = await this.connections.entityOf(connectionId);
    return this.registry.find(entity.kind)?.openSchema === true;
  }

  private async discovered(connectionId: string, refresh: boolean): Promise<Discovered> {
    const connection = await this.connections.get(connectionId);
    const cached = this.cache.get(connectionId);
    if (
      !refresh &&
      cached !== undefined &&
      cached.version === connection.updatedAt &&
      Date.now() - cached.at.getTime() < CACHE_TTL_MS
    )
      return cached;
    // Asked to look again: the connector's own facts are forgotten too.
    if (refresh) this.connections.forgetFacts(connectionId);
    try {
      const objects = await this.connections.withConnector(connectionId, (connector) =>
        connector.discover(),
      );
      const entry = { version: connection.updatedAt, at: new Date(), objects };
      this.cache.set(connectionId, entry);
      return entry;
    } catch (error) {
      if (error instanceof HttpException) throw error;
      throw new BadGatewayException(
        apiError(
          'vendor_error',
          `Could not discover the vendor's objects: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    }
  }

  /**
   * The connection's objects, from the cache while it is fresh (the sync validation's view); a
   * vendor's refusal comes back as its reason, not as a 502.
   */
  async objectsOf(connectionId: string): Promise<ObjectDescriptor[]> {
    try {
      return (await this.discovered(connectionId, false)).objects;
    } catch (error) {
      if (!(error instanceof BadGatewayException)) throw error;
      const body = error.getResponse() as { error?: { message?: string } };
      const message = body.error?.message ?? error.message;
      throw new Error(message.charAt(0).toLowerCase() + message.slice(1), { cause: error });
    }
  }

  /**
   * The connection's lists, tags and audiences, asked of the vendor each time (members change
   * more often than schemas): which a sync can change, and which it can read as its source's set.
   */
  async audiences(connectionId: string): Promise<AudienceListDto> {
    const at = new Date();
    try {
      return await this.connections.withConnector(connectionId, async (connector) => {
        if (connector.audiences === undefined)
          throw new BadRequestException(
            apiError(
              'bad_request',
              `${connector.kind} connections have no lists or audiences (they have: ${connector.capabilities.join(', ')})`,
              [{ path: 'id', problem: 'lacks the audiences capability' }],
            ),
          );
        const readable = connector.readAudience !== undefined;
        const audiences = await connector.audiences();
        return {
          items: audiences.map((audience) => ({ ...audience, readable })),
          discoveredAt: at.toISOString(),
        };
      });
    } catch (error) {
      if (error instanceof HttpException) throw error;
      throw new BadGatewayException(
        apiError(
          'vendor_error',
          `Could not list the vendor's audiences: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    }
  }

  /**
   * A definition against what its connections discover (the cache while fresh): objects exist
   * and, for a records sync, every mapped field exists, can be written, fits its target's type
   * and picklist, and the required fields of a side it creates on are filled. The right side of
   * an events or audience sync is an event type or an audience, checked elsewhere. A vendor that
   * cannot be asked now is a problem at the connection when `unreachable` is 'report', and no
   * problem when 'skip' (saving a sync while a vendor is down; its runs check again).
   */
  async definitionProblems(
    body: SyncBody,
    unreachable: 'report' | 'skip',
  ): Promise<ValidationProblem[]> {
    const definition = definitionFrom('new', body);
    const problems: ValidationProblem[] = [];
    const discovered: Partial<Record<'left' | 'right', ObjectDescriptor>> = {};
    const sides =
      kindOf(definition) === 'records' ? (['left', 'right'] as const) : ['left' as const];
    for (const side of sides) {
      const { connectionId, object } = body[side];
      let objects: ObjectDescriptor[];
      let open: boolean;
      try {
        open = await this.openSchema(connectionId);
        objects = await this.objectsOf(connectionId);
      } catch (error) {
        // No such connection: reported by the definition's own checks.
        if (error instanceof NotFoundException || unreachable === 'skip') continue;
        problems.push({
          path: `${side}.connectionId`,
          problem: error instanceof Error ? error.message : String(error),
        });
        continue;
      }
      const found = objects.find((o) => o.name === object);
      // A schemaless store's object not written yet: it exists once written, any field with it.
      if (found === undefined && open)
        discovered[side] = {
          name: object,
          label: object,
          fields: [],
          deletes: true,
          writeModes: ['upsert', 'update', 'create'],
          fieldsInferred: true,
        };
      else if (found === undefined)
        problems.push({
          path: `${side}.object`,
          problem: `"${object}" is not an object of this connection (it has ${objects.map((o) => o.name).join(', ')})`,
        });
      else discovered[side] = found;
    }
    const records = asRecordsSync(definition);
    if (records !== undefined && discovered.left !== undefined && discovered.right !== undefined)
      checkAgainstDiscovery(problems, records, { left: discovered.left, right: discovered.right });
    return problems;
  }

  /** An audience sync's audience (right.object) and, where it reads one, its source's list. */
  async audienceSyncProblems(
    left: { connectionId: string; audience?: string },
    right: { connectionId: string; object: string },
  ): Promise<ValidationProblem[]> {
    const problems = await this.audienceProblems(right.connectionId, right.object, 'right');
    if (left.audience === undefined) return problems;
    return [
      ...problems,
      ...(await this.audienceProblems(left.connectionId, left.audience, 'left')),
    ];
  }

  /**
   * Why an audience sync may not use `audience` of the connection: not one of the audiences it
   * lists, or, as the destination (right), one the vendor does not let anyone change (a dynamic
   * list, a saved segment); a source's list (left.audience) is only read, so any list will do.
   * Empty when it may, and when the vendor cannot be asked now (the run checks again).
   */
  private async audienceProblems(
    connectionId: string,
    audience: string,
    side: 'left' | 'right',
  ): Promise<ValidationProblem[]> {
    const path = side === 'left' ? 'left.audience' : 'right.object';
    let audiences: AudienceDescriptor[] | undefined;
    try {
      audiences = await this.connections.withConnector(connectionId, (connector) =>
        connector.audiences === undefined ? Promise.resolve(undefined) : connector.audiences(),
      );
    } catch {
      return [];
    }
    if (audiences === undefined) return [];
    const found = audiences.find((candidate) => candidate.id === audience);
    if (found === undefined) {
      const listed = audiences.map((each) => `${each.id} (${each.name})`).join(', ');
      return [
        {
          path,
          problem: `no audience "${audience}" on this connection (it has ${listed === '' ? 'none' : listed})`,
        },
      ];
    }
    if (found.writable || side === 'left') return [];
    return [
      {
        path,
        problem: `"${found.name}" (${found.id}) cannot be changed by a sync: ${found.reason ?? 'the vendor does not let anyone change its members'}`,
      },
    ];
  }

  /** A field as the connector describes it, or undefined when the object has no such field. */
  async field(
    connectionId: string,
    object: string,
    name: string,
  ): Promise<FieldDescriptor | undefined> {
    const { objects } = await this.discovered(connectionId, false);
    return objects
      .find((candidate) => candidate.name === object)
      ?.fields.find((field) => field.name === name);
  }

  async objects(connectionId: string, refresh: boolean): Promise<ObjectListDto> {
    const { at, objects } = await this.discovered(connectionId, refresh);
    return {
      items: objects.map((object) => ({
        name: object.name,
        label: object.label,
        fieldCount: object.fields.length,
        deletes: object.deletes,
        writeModes: [...object.writeModes],
      })),
      discoveredAt: at.toISOString(),
    };
  }

  async fields(connectionId: string, object: string, refresh: boolean): Promise<FieldListDto> {
    const { at, objects } = await this.discovered(connectionId, refresh);
    const found = objects.find((candidate) => candidate.name === object);
    if (found === undefined)
      throw new NotFoundException(
        apiError('not_found', `The connection has no object "${object}"`, [
          {
            path: 'object',
            problem: `not found (the connection has ${objects.map((o) => o.name).join(', ')})`,
          },
        ]),
      );
    return {
      object: found.name,
      items: found.fields.map((field) => ({
        ...field,
        ...(field.options === undefined ? {} : { options: field.options.map((o) => ({ ...o })) }),
      })),
      discoveredAt: at.toISOString(),
    };
  }
}
