import {
  BadRequestException,
  GoneException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { type AnyConnector, type Connector, hasCapability } from '../../connectors/sdk/contract';
import { apiError } from '../common/api-error';
import { ConnectionsService } from '../connections/connections.service';
import { ConnectorRegistry } from '../connections/connector-registry';
import { SyncRepository } from '../persistence/sync.repository';
import { syncsReading } from './routing';

export const WEBHOOKS_OPTIONS = Symbol('WEBHOOKS_OPTIONS');

export interface WebhooksOptions {
  /** SYNCLINE_WEBHOOK_DEBOUNCE_SECONDS: events within this window become one run. */
  debounceSeconds: number;
  /** SYNCLINE_PUBLIC_URL: the URL vendors call, which their signatures cover. */
  publicUrl: string | undefined;
}

/** A request as received, for the connection named in its path. */
export interface WebhookDelivery {
  /** The path's `connectionId`, as given. */
  connectionId: string;
  method: string;
  /** The full URL the vendor called, as rebuilt from the request (not yet decoded). */
  url: string;
  headers: Record<string, string | undefined>;
  body: Buffer;
  /** The client's address, for the log line of a rejection. */
  from: string | undefined;
}

export interface WebhookAccepted {
  /** Events in the batch (all acknowledged, also those no sync reads). */
  accepted: number;
  /** Syncs now due for a webhook run (newly or already). */
  syncs: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Inbound webhooks, one route for every connector that has the webhooks capability: the
 * connection's connector verifies the request (its vendor's signature) and says which objects
 * changed; the syncs that read them from that connection are marked due for a debounced run. Runs
 * are never started here: the scheduler tick starts one per sync whose `webhook_due_at` has
 * passed, so a burst of events costs one incremental run.
 */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger('Webhooks');

  constructor(
    private readonly syncs: SyncRepository,
    private readonly connections: ConnectionsService,
    private readonly registry: ConnectorRegistry,
    @Inject(WEBHOOKS_OPTIONS) private readonly options: WebhooksOptions,
  ) {}

  /**
   * A 401 in the error shape, with a warn line that names neither a secret nor the signature.
   * Unknown connections get the same answer: a caller learns nothing it could not sign for.
   */
  private reject(
    delivery: WebhookDelivery,
    reason: string,
    options: { stale?: boolean; logNote?: string } = {},
  ): UnauthorizedException {
    this.logger.warn(
      `Rejected a webhook for connection ${delivery.connectionId} from ${delivery.from ?? 'an unknown address'}: ${reason}${options.logNote ?? ''}`,
    );
    return new UnauthorizedException(
      apiError(
        options.stale === true ? 'stale_signature' : 'invalid_signature',
        `The request is not signed by the connection's vendor: ${reason}.`,
        [{ path: 'headers', problem: reason }],
      ),
    );
  }

  /** The connection's connector, when it can verify webhooks; otherwise the 401 (or 410) to answer. */
  private async webhookConnector(
    delivery: WebhookDelivery,
  ): Promise<AnyConnector & Connector<'webhooks'>> {
    const { connectionId } = delivery;
    if (!UUID.test(connectionId)) {
      // The route of a connector kind: where one vendor's webhooks used to arrive.
      if (this.registry.find(connectionId) !== undefined)
        throw new GoneException(
          apiError(
            'route_moved',
            `Webhooks now arrive per connection: set POST /api/v1/webhooks/<connection id> as the webhook URL in the vendor's app (GET /api/v1/connections lists the ids).`,
            [{ path: 'connectionId', problem: 'must be the id of a connection' }],
          ),
        );
      throw this.reject(delivery, 'no connection has this id', { logNote: ' (not a UUID)' });
    }
    let connector: AnyConnector;
    try {
      connector = await this.connections.connector(connectionId);
    } catch (error) {
      const note = error instanceof NotFoundException ? 'no such connection' : String(error);
      throw this.reject(delivery, 'no connection has this id or can verify it', {
        logNote: ` (${note})`,
      });
    }
    if (!hasCapability(connector, 'webhooks')) {
      await connector.close?.();
      throw this.reject(delivery, 'no connection has this id or can verify it', {
        logNote: ` (${connector.kind} connections take no webhooks)`,
      });
    }
    return connector;
  }

  async receive(delivery: WebhookDelivery): Promise<WebhookAccepted> {
    const connector = await this.webhookConnector(delivery);
    try {
      const verdict = connector.verify({
        method: delivery.method,
        url: delivery.url,
        headers: delivery.headers,
        body: delivery.body,
      });
      if (!verdict.ok)
        throw this.reject(
          delivery,
          verdict.secretMissing === true ? 'the signature does not verify' : verdict.reason,
          {
            ...(verdict.stale === true ? { stale: true } : {}),
            ...(verdict.secretMissing === true ? { logNote: ` (${verdict.reason})` } : {}),
          },
        );
      const routed = connector.route(delivery.body);
      if ('problems' in routed)
        throw new BadRequestException(
          apiError(
            'validation_failed',
            `The body is not what ${connector.kind} sends`,
            routed.problems.slice(0, 50),
          ),
        );
      if (routed.events === 0) return { accepted: 0, syncs: 0 };
      const syncs = await this.syncs.enabledUsingConnection(delivery.connectionId);
      const due = syncsReading(
        delivery.connectionId,
        routed.changes,
        syncs.map((sync) => ({
          id: sync.id,
          leftConnectionId: sync.leftConnectionId,
          rightConnectionId: sync.rightConnectionId,
          // Events and audience syncs read their left side.
          direction: sync.definition.direction ?? 'left_to_right',
          leftObject: sync.definition.left.object,
          rightObject: sync.definition.right.object,
        })),
      );
      // The first event of a burst fixes when the run starts, later ones ride along (a steady
      // stream cannot postpone it forever).
      const marked =
        due.length === 0 ? 0 : await this.syncs.markWebhookDue(due, this.options.debounceSeconds);
      this.logger.debug(
        `Webhook for connection ${delivery.connectionId} (${connector.kind}): ${routed.events} event(s), ${marked} sync(s) due for a webhook run`,
      );
      return { accepted: routed.events, syncs: marked };
    } finally {
      await connector.close?.();
    }
  }
}
