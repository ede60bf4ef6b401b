/**
 * Connecting through OAuth 2.0's authorization code grant (RFC 6749 §4.1), where a vendor offers
 * it: a connector declares where its authorize page and token endpoint are (from the settings, so
 * an emulator serves both), the scopes it asks for, and which of its secrets hold the app's client
 * id and secret and the refresh token the grant brings. Syncline sends the person's browser to the
 * authorize page and redeems the code it comes back with (`redeemCode`); the refresh token is kept
 * as the connection's secret, and the connector's own token session takes it from there.
 */
import { ConnectorError } from './errors';
import { fetchFailure } from './http-errors';

/** A connector's OAuth, as its declaration gives it (settings typed). */
export interface OAuthDeclaration<Settings, K extends string> {
  /** The vendor's authorize page for these settings. */
  authorizeUrl(settings: Settings): string;
  /** The vendor's token endpoint for these settings. */
  tokenUrl(settings: Settings): string;
  /** What the connector asks for (space-separated in the authorize URL). */
  scopes: readonly string[];
  /** Secrets: the app's client id and secret (entered by a person), the refresh token (the grant's). */
  clientId: K;
  clientSecret: K;
  refreshToken: K;
  /** Settings the token answer decides (an instance URL), by setting name. */
  settingsFrom?(answer: Readonly<Record<string, unknown>>): Record<string, string>;
}

/** A connector's OAuth, as the registry holds it (settings untyped, defaults applied inside). */
export interface OAuthGrant {
  authorizeUrl(settings: Record<string, unknown>): string;
  tokenUrl(settings: Record<string, unknown>): string;
  scopes: readonly string[];
  secrets: { clientId: string; clientSecret: string; refreshToken: string };
  settingsFrom(answer: Readonly<Record<string, unknown>>): Record<string, string>;
}

/** Builds the registry's form from a declaration, with the connector's own settings parser. */
export function oauthGrant<Settings, K extends string>(
  declaration: OAuthDeclaration<Settings, K>,
  parse: (raw: Record<string, unknown>) => Settings,
): OAuthGrant {
  return {
    authorizeUrl: (settings) => declaration.authorizeUrl(parse(settings)),
    tokenUrl: (settings) => declaration.tokenUrl(parse(settings)),
    scopes: declaration.scopes,
    secrets: {
      clientId: declaration.clientId,
      clientSecret: declaration.clientSecret,
      refreshToken: declaration.refreshToken,
    },
    settingsFrom: (answer) => declaration.settingsFrom?.(answer) ?? {},
  };
}

/** The authorize page's address for one attempt (RFC 6749 §4.1.1). */
export function authorizeAddress(
  grant: OAuthGrant,
  settings: Record<string, unknown>,
  input: { clientId: string; redirectUri: string; state: string },
): string {
  const url = new URL(grant.authorizeUrl(settings));
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', input.clientId);
  url.searchParams.set('redirect_uri', input.redirectUri);
  if (grant.scopes.length > 0) url.searchParams.set('scope', grant.scopes.join(' '));
  url.searchParams.set('state', input.state);
  return url.toString();
}

const REDEEM_TIMEOUT_MS = 15_000;

/** What the vendor said when it refused, from the usual shapes of OAuth error answers. */
function refusal(body: unknown, status: number): string {
  if (typeof body === 'object' && body !== null) {
    const fields = body as Record<string, unknown>;
    const said = [fields.error_description, fields.message, fields.error, fields.status].find(
      (value): value is string => typeof value === 'string' && value !== '',
    );
    if (said !== undefined) return said;
  }
  return `HTTP ${String(status)}`;
}

/**
 * Redeems an authorization code at the token endpoint (RFC 6749 §4.1.3): the answer's fields, which
 * hold at least a refresh token. A refusal is `auth_invalid` with the vendor's words; no answer is
 * `network` or `timeout`.
 */
export async function redeemCode(input: {
  tokenUrl: string;
  code: string;
  redirectUri: string;
  clientId: string;
  clientSecret: string;
}): Promise<Record<string, unknown>> {
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code: input.code,
    redirect_uri: input.redirectUri,
    client_id: input.clientId,
    client_secret: input.clientSecret,
  });
  const signal = AbortSignal.timeout(REDEEM_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(input.tokenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
      redirect: 'error',
      signal,
    });
  } catch (error) {
    throw fetchFailure(error, { timedOut: signal.aborted, cancelled: false }, 'the token request');
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok)
    throw new ConnectorError(
      response.status >= 500 ? 'server_error' : 'auth_invalid',
      `the vendor refused the authorization code: ${refusal(body, response.status)}`,
      { status: response.status },
    );
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (typeof fields.refresh_token !== 'string' || fields.refresh_token === '')
    throw new ConnectorError(
      'auth_invalid',
      'the token endpoint answered without a refresh token (does the app ask for offline access?)',
      { status: response.status },
    );
  return fields;
}
