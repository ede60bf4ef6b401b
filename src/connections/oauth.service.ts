/**
 * Connecting through a vendor's OAuth authorize page (connectors/sdk/oauth.ts): `start` checks the
 * connection as `POST /connections` would and answers the vendor's page for the browser; the
 * console's callback page hands back the code with `complete`, which redeems it and creates the
 * connection with the refresh token as its secret. Attempts are held in this process for ten
 * minutes, single use, for the key that started them (a cluster needs the callback on the replica
 * that started it, which the console's same-tab round trip gives behind a sticky balancer).
 */
import { randomBytes } from 'node:crypto';
import { BadGatewayException, BadRequestException, Injectable } from '@nestjs/common';
import { ConnectorError } from '../../connectors/sdk/errors';
import { authorizeAddress, redeemCode, type OAuthGrant } from '../../connectors/sdk/oauth';
import type { Caller } from '../auth/api-keys.service';
import { apiError } from '../common/api-error';
import { invalid } from './connection-rules';
import { ConnectorRegistry } from './connector-registry';
import type { ConnectionDto, CreateConnectionDto } from './connections.dto';
import { ConnectionsService } from './connections.service';
import type { CompleteOAuthDto, OAuthStartedDto, StartOAuthDto } from './oauth.dto';

const ATTEMPT_TTL_MS = 10 * 60_000;
/** Attempts held at once; the oldest goes past this (each is small, but callers are not trusted). */
const MAX_ATTEMPTS = 500;

interface Attempt {
  input: CreateConnectionDto;
  redirectUri: string;
  keyId: string;
  expiresAt: number;
}

@Injectable()
export class ConnectionOAuthService {
  private readonly attempts = new Map<string, Attempt>();

  constructor(
    private readonly connections: ConnectionsService,
    private readonly registry: ConnectorRegistry,
  ) {}

  private grantOf(kind: string): OAuthGrant {
    const grant = this.registry.find(kind)?.oauth;
    if (grant === undefined)
      throw invalid([
        {
          path: 'kind',
          problem: `${kind} connections do not connect through OAuth: create one with its secrets (POST /api/v1/connections)`,
        },
      ]);
    return grant;
  }

  async start(body: StartOAuthDto, caller: Caller): Promise<OAuthStartedDto> {
    const { redirectUri, ...input } = body;
    await this.connections.checkNew(input, caller);
    const grant = this.grantOf(input.kind);
    const secrets = input.secrets ?? {};
    const { clientId, clientSecret, refreshToken } = grant.secrets;
    const given = (name: string): string => (Object.hasOwn(secrets, name) ? secrets[name] : '');
    const problems = [clientId, clientSecret]
      .filter((name) => given(name) === '')
      .map((name) => ({
        path: `secrets.${name}`,
        problem: "is required to connect through OAuth (from the vendor app's settings)",
      }));
    if (given(refreshToken) !== '')
      problems.push({
        path: `secrets.${refreshToken}`,
        problem: 'comes from the OAuth flow: leave it out',
      });
    if (problems.length > 0) throw invalid(problems);
    this.forgetOld();
    const state = randomBytes(24).toString('base64url');
    const expiresAt = Date.now() + ATTEMPT_TTL_MS;
    this.attempts.set(state, { input, redirectUri, keyId: caller.keyId, expiresAt });
    return {
      authorizeUrl: authorizeAddress(grant, input.settings ?? {}, {
        clientId: given(clientId),
        redirectUri,
        state,
      }),
      state,
      expiresAt: new Date(expiresAt).toISOString(),
    };
  }

  async complete(body: CompleteOAuthDto, caller: Caller): Promise<ConnectionDto> {
    this.forgetOld();
    const attempt = this.attempts.get(body.state);
    if (attempt === undefined || attempt.keyId !== caller.keyId)
      throw new BadRequestException(
        apiError(
          'oauth_attempt_unknown',
          'No OAuth connection attempt of this API key has this state: it was used already, expired (after 10 minutes), or started on another server. Start again.',
          [{ path: 'state', problem: 'names no open attempt' }],
        ),
      );
    this.attempts.delete(body.state);
    if (body.error !== undefined)
      throw new BadRequestException(
        apiError(
          'oauth_denied',
          `The vendor's page answered "${body.error}" instead of a code: nothing was connected.`,
          [{ path: 'error', problem: body.error }],
        ),
      );
    if (body.code === undefined) throw invalid([{ path: 'code', problem: 'is required' }]);
    const grant = this.grantOf(attempt.input.kind);
    const secrets = attempt.input.secrets ?? {};
    const answer = await this.redeem(grant, attempt, body.code);
    return this.connections.create(
      {
        ...attempt.input,
        settings: { ...attempt.input.settings, ...grant.settingsFrom(answer) },
        secrets: { ...secrets, [grant.secrets.refreshToken]: String(answer.refresh_token) },
      },
      caller,
    );
  }

  private async redeem(
    grant: OAuthGrant,
    attempt: Attempt,
    code: string,
  ): Promise<Record<string, unknown>> {
    const secrets = attempt.input.secrets ?? {};
    try {
      return await redeemCode({
        tokenUrl: grant.tokenUrl(attempt.input.settings ?? {}),
        code,
        redirectUri: attempt.redirectUri,
        clientId: secrets[grant.secrets.clientId],
        clientSecret: secrets[grant.secrets.clientSecret],
      });
    } catch (error) {
      if (!(error instanceof ConnectorError)) throw error;
      const body = apiError(
        error.code === 'auth_invalid' ? 'oauth_refused' : error.code,
        error.message,
        [{ path: 'code', problem: error.message }],
      );
      throw error.code === 'auth_invalid'
        ? new BadRequestException(body)
        : new BadGatewayException(body);
    }
  }

  private forgetOld(): void {
    const now = Date.now();
    for (const [state, attempt] of this.attempts)
      if (attempt.expiresAt <= now) this.attempts.delete(state);
    while (this.attempts.size >= MAX_ATTEMPTS) {
      const oldest = this.attempts.keys().next().value;
      if (oldest === undefined) break;
      this.attempts.delete(oldest);
    }
  }
}
