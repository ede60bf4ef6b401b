import {
  BadRequestException,
  Inject,
  Injectable,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { apiError } from '../common/api-error';
import { ConnectionsService } from '../connections/connections.service';
import { SyncEntity } from '../persistence/sync.entity';
import { clientOf, execute } from '../persistence/sql';
import { parseHubSpotEvents, routeHubSpotEvents, type VerifiedConnection } from './hubspot-events';
import { timestampProblem, verifyHubSpotV3, type TimestampProblem } from './hubspot-signature';

export const WEBHOOKS_OPTIONS = Symbol('WEBHOOKS_OPTIONS');

export interface WebhooksOptions {
  /** SYNCLINE_WEBHOOK_DEBOUNCE_SECONDS: events within this window become one run. */
  debounceSeconds: number;
  /** SYNCLINE_PUBLIC_URL: the URL vendors call, which their signatures cover. */
  publicUrl: string | undefined;
}

/** A request as received: everything the signature covers, and where it came from (for logs). */
export interface HubSpotWebhookRequest {
  method: string;
  /** The full URL HubSpot called, as rebuilt from the request (not yet decoded). */
  uri: string;
  body: Buffer;
  signature: string | undefined;
  timestamp: string | undefined;
  /** The client's address, for the log line of a rejection. */
  from: string | undefined;
}

export interface WebhookAccepted {
  /** Events in the batch (all acknowledged, also those no sync reads). */
  accepted: number;
  /** Syncs now due for a webhook run (newly or already). */
  syncs: number;
}

const TIMESTAMP_REASONS: Record<TimestampProblem, string> = {
  missing: 'no X-HubSpot-Request-Timestamp header',
  malformed: 'X-HubSpot-Request-Timestamp is not a time in milliseconds',
  stale: 'X-HubSpot-Request-Timestamp is more than 5 minutes old',
  future: 'X-HubSpot-Request-Timestamp is more than 5 minutes in the future',
};

/**
 * Inbound HubSpot webhooks: verify the v3 signature against the client secret of each HubSpot
 * connection, then mark the syncs that read the events' objects due for a debounced run. Runs are
 * never started here: the scheduler tick starts one per sync whose `webhook_due_at` has passed, so
 * a burst of events costs one incremental run.
 */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger('Webhooks');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly connections: ConnectionsService,
    @Inject(WEBHOOKS_OPTIONS) private readonly options: WebhooksOptions,
  ) {}

  /** A 401 in the error shape, with a warn line that names neither the secret nor the signature. */
  private reject(
    code: 'invalid_signature' | 'stale_signature',
    reason: string,
    from: string | undefined,
    logNote = '',
  ): UnauthorizedException {
    this.logger.warn(
      `Rejected a HubSpot webhook from ${from ?? 'an unknown address'}: ${reason}${logNote}`,
    );
    return new UnauthorizedException(
      apiError(code, `The request is not signed by HubSpot: ${reason}.`, [
        { path: 'headers', problem: reason },
      ]),
    );
  }

  /** The HubSpot connections whose client secret signed the request (none: not authentic). */
  private async verify(
    request: HubSpotWebhookRequest,
    nowMs: number,
  ): Promise<VerifiedConnection[]> {
    if (request.signature === undefined || request.signature === '')
      throw this.reject('invalid_signature', 'no X-HubSpot-Signature-v3 header', request.from);
    const problem = timestampProblem(request.timestamp, nowMs);
    if (problem !== undefined || request.timestamp === undefined)
      throw this.reject(
        problem === 'stale' || problem === 'future' ? 'stale_signature' : 'invalid_signature',
        TIMESTAMP_REASONS[problem ?? 'missing'],
        request.from,
      );
    const signed = {
      method: request.method,
      uri: request.uri,
      body: request.body,
      timestamp: request.timestamp,
    };
    const signature = request.signature;
    const candidates = await this.connections.openSecretOfKind('hubspot', 'clientSecret');
    const verified = candidates
      .filter((candidate) => verifyHubSpotV3(candidate.secret, signed, signature))
      .map((candidate) => {
        const portalId = candidate.settings['portalId'];
        return { id: candidate.id, portalId: typeof portalId === 'number' ? portalId : undefined };
      });
    if (verified.length === 0)
      throw this.reject(
        'invalid_signature',
        "the signature matches no HubSpot connection's client secret",
        request.from,
        // Said in the log only: the caller need not learn whether any secret is configured.
        candidates.length === 0 ? ' (no HubSpot connection has a clientSecret)' : '',
      );
    return verified;
  }

  async receiveHubSpot(
    request: HubSpotWebhookRequest,
    nowMs: number = Date.now(),
  ): Promise<WebhookAccepted> {
    const verified = await this.verify(request, nowMs);
    const parsed = parseHubSpotEvents(request.body);
    if ('problems' in parsed)
      throw new BadRequestException(
        apiError('validation_failed', 'The body is not a batch of HubSpot events', parsed.problems),
      );
    const { events } = parsed;
    if (events.length === 0) return { accepted: 0, syncs: 0 };
    const ids = verified.map((connection) => connection.id);
    const syncs = await this.dataSource.getRepository(SyncEntity).find({
      select: { id: true, leftConnectionId: true, rightConnectionId: true, definition: true },
      where: [
        { leftConnectionId: In(ids), enabled: true },
        { rightConnectionId: In(ids), enabled: true },
      ],
    });
    const due = routeHubSpotEvents(
      events,
      verified,
      syncs.map((sync) => ({
        id: sync.id,
        leftConnectionId: sync.leftConnectionId,
        rightConnectionId: sync.rightConnectionId,
        direction: sync.definition.direction,
        leftObject: sync.definition.left.object,
        rightObject: sync.definition.right.object,
      })),
    );
    const marked = due.length === 0 ? 0 : await this.markDue(due);
    this.logger.debug(
      `HubSpot webhook: ${events.length} event(s), ${marked} sync(s) due for a webhook run`,
    );
    return { accepted: events.length, syncs: marked };
  }

  /**
   * Sets `webhook_due_at` on enabled syncs that have none: the first event of a burst fixes when
   * the run starts, later ones ride along (a steady stream cannot postpone it forever).
   */
  private async markDue(syncIds: string[]): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    try {
      return await execute(
        await clientOf(runner),
        `UPDATE "syncs" SET "webhook_due_at" = COALESCE("webhook_due_at", now() + make_interval(secs => $2))
          WHERE "id" = ANY($1) AND "enabled"`,
        [syncIds, this.options.debounceSeconds],
      );
    } finally {
      await runner.release();
    }
  }
}
