/**
 * Private-app bearer tokens and OAuth 2.0 (the install's authorize page, then the
 * authorization_code and refresh_token grants at `/oauth/v1/token`) with access tokens that expire
 * on the emulator's clock (https://developers.hubspot.com/docs/api/oauth/tokens,
 * https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/guide).
 */
import type { Clock } from '../../sdk/contract';
import { OAuthConsent } from '../../sdk/testing/oauth-consent';

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
}

export interface OAuthTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** HubSpot's access tokens live 30 minutes (`expires_in: 1800`). */
export const ACCESS_TOKEN_TTL_MS = 1_800_000;

export type TokenCheck =
  | { ok: true; kind: 'private_app' | 'oauth' }
  | { ok: false; reason: 'missing' | 'invalid' }
  | { ok: false; reason: 'expired'; expiredMs: number };

export class EmulatorAuth {
  private readonly privateTokens = new Set<string>();
  private readonly apps = new Map<string, OAuthApp>();
  private readonly refreshTokens = new Map<string, string>();
  private readonly accessTokens = new Map<string, number>();
  private sequence = 0;
  refreshes = 0;
  accessTokenTtlMs = ACCESS_TOKEN_TTL_MS;
  /** The install's consent page (`/oauth/authorize`) and the codes it hands out. */
  readonly consent: OAuthConsent;

  constructor(private readonly clock: Clock) {
    this.consent = new OAuthConsent('HubSpot', clock, (clientId) => this.apps.has(clientId));
  }

  addPrivateAppToken(token: string): void {
    this.privateTokens.add(token);
  }

  addApp(app: OAuthApp): void {
    this.apps.set(app.clientId, app);
  }

  private issueAccessToken(): string {
    const token = `oauth-access-${++this.sequence}`;
    this.accessTokens.set(token, this.clock.now().getTime() + this.accessTokenTtlMs);
    return token;
  }

  /** Tokens as the install flow would hand them out (tests start from them). */
  install(clientId: string): OAuthTokens {
    if (!this.apps.has(clientId)) throw new Error(`no OAuth app ${clientId}`);
    const refreshToken = `oauth-refresh-${++this.sequence}`;
    this.refreshTokens.set(refreshToken, clientId);
    return {
      accessToken: this.issueAccessToken(),
      refreshToken,
      expiresIn: this.accessTokenTtlMs / 1000,
    };
  }

  /** Expires every OAuth access token now (a fault); private-app tokens do not expire. */
  expireAccessTokens(): void {
    const now = this.clock.now().getTime();
    for (const token of this.accessTokens.keys()) this.accessTokens.set(token, now - 1);
  }

  check(header: string | undefined): TokenCheck {
    const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
    if (match?.[1] === undefined) return { ok: false, reason: 'missing' };
    const token = match[1].trim();
    if (this.privateTokens.has(token)) return { ok: true, kind: 'private_app' };
    const expiresAt = this.accessTokens.get(token);
    if (expiresAt === undefined) return { ok: false, reason: 'invalid' };
    const now = this.clock.now().getTime();
    if (expiresAt <= now) return { ok: false, reason: 'expired', expiredMs: now - expiresAt };
    return { ok: true, kind: 'oauth' };
  }

  /**
   * `/oauth/v1/token`: the authorization_code grant (a code from the consent page, with the same
   * redirect_uri) or the refresh_token grant; an error `status` as HubSpot names it otherwise.
   */
  token(form: URLSearchParams): OAuthTokens | { error: string; message: string } {
    const grant = form.get('grant_type');
    if (grant !== 'refresh_token' && grant !== 'authorization_code')
      return {
        error: 'BAD_GRANT_TYPE',
        message: 'grant_type must be authorization_code or refresh_token',
      };
    const app = this.apps.get(form.get('client_id') ?? '');
    if (app === undefined)
      return { error: 'BAD_CLIENT_ID', message: 'missing or unknown client id' };
    if (app.clientSecret !== form.get('client_secret'))
      return { error: 'BAD_CLIENT_SECRET', message: 'missing or invalid client secret' };
    if (grant === 'authorization_code') return this.redeem(app, form);
    const refreshToken = form.get('refresh_token') ?? '';
    if (this.refreshTokens.get(refreshToken) !== app.clientId)
      return { error: 'BAD_REFRESH_TOKEN', message: 'missing or unknown refresh token' };
    this.refreshes++;
    return {
      accessToken: this.issueAccessToken(),
      refreshToken,
      expiresIn: this.accessTokenTtlMs / 1000,
    };
  }

  private redeem(
    app: OAuthApp,
    form: URLSearchParams,
  ): OAuthTokens | { error: string; message: string } {
    const redirectUri = form.get('redirect_uri') ?? '';
    if (redirectUri === '')
      return { error: 'BAD_REDIRECT_URI', message: 'missing or invalid redirect_uri' };
    const redeemed = this.consent.redeem(form.get('code') ?? '', app.clientId, redirectUri);
    if (!redeemed.ok)
      return redeemed.problem === 'redirect_mismatch'
        ? { error: 'BAD_REDIRECT_URI', message: 'redirect_uri does not match the authorization' }
        : { error: 'BAD_AUTH_CODE', message: 'missing or unknown auth code' };
    return this.install(app.clientId);
  }
}
