/**
 * The access token: refreshed through jsforce's OAuth2 client (refresh_token grant, or
 * client_credentials where no refresh token is given) against the login URL's token endpoint.
 * Concurrent 401s share one refresh.
 */
import type { Connection, OAuth2 } from 'jsforce';
import { ConnectorError } from '../sdk/errors';

export interface SalesforceSession {
  /** Undefined when nothing can refresh the token (an access token alone). */
  refresh: (() => Promise<void>) | undefined;
  /** The token to send, fetching one first when the connection has none yet. */
  accessToken(): Promise<string | undefined>;
  refreshes(): number;
}

interface TokenAnswer {
  access_token?: unknown;
  instance_url?: unknown;
}

export function createSession(
  connection: Connection,
  oauth2: OAuth2 | undefined,
  credentials: { refreshToken?: string; clientSecret?: string },
): SalesforceSession {
  let count = 0;
  let inFlight: Promise<void> | undefined;
  const grant = async (): Promise<void> => {
    if (oauth2 === undefined)
      throw new ConnectorError('auth_invalid', 'no OAuth client to refresh the session with');
    const answer: TokenAnswer =
      credentials.refreshToken !== undefined
        ? await oauth2.refreshToken(credentials.refreshToken)
        : await oauth2.requestToken({ grant_type: 'client_credentials' });
    if (typeof answer.access_token !== 'string') {
      throw new ConnectorError(
        'auth_invalid',
        'the token endpoint answered without an access_token',
      );
    }
    connection.accessToken = answer.access_token;
    count++;
  };
  const canRefresh =
    oauth2 !== undefined &&
    (credentials.refreshToken !== undefined || credentials.clientSecret !== undefined);
  const refresh = canRefresh
    ? (): Promise<void> => {
        inFlight ??= grant().finally(() => {
          inFlight = undefined;
        });
        return inFlight;
      }
    : undefined;
  return {
    refresh,
    async accessToken() {
      if ((connection.accessToken ?? '') === '' && refresh !== undefined) await refresh();
      const token = connection.accessToken;
      return token === null || token === undefined || token === '' ? undefined : token;
    },
    refreshes: () => count,
  };
}
