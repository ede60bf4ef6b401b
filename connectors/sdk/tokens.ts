/**
 * An access token a connector may grant again (OAuth refresh token, client credentials): one grant
 * at a time however many calls find the token expired, a grant before the first call when the
 * connection starts without a token, and a count of grants made.
 */
import { ConnectorError } from './errors';

export interface TokenSessionOptions {
  /** The token the connection starts with; none: the first call grants one. */
  token?: string | undefined;
  /** Asks the vendor for a new token; absent when nothing can renew it (an access token alone). */
  grant?: (() => Promise<string>) | undefined;
}

export interface TokenSession {
  /** The token to send: granted first when there is none yet and a grant is possible. */
  token(): Promise<string | undefined>;
  /** Renews the token (concurrent callers share one grant); undefined when nothing can. */
  readonly refresh: (() => Promise<void>) | undefined;
  /** Grants made so far. */
  grants(): number;
}

/**
 * A grant the vendor refused (a 4xx from its token endpoint: a revoked refresh token, a wrong
 * client secret) needs a person to reconnect; any other failure is the call's own.
 */
function refusedGrant(error: unknown): unknown {
  const status = error instanceof ConnectorError ? error.details.status : undefined;
  if (status === undefined || status < 400 || status >= 500 || status === 429) return error;
  return new ConnectorError(
    'auth_invalid',
    `the vendor refused to grant a new access token (${String(status)}): ${(error as Error).message}`,
    { status },
  );
}

export function createTokenSession(options: TokenSessionOptions): TokenSession {
  let current = options.token === '' ? undefined : options.token;
  let count = 0;
  let granting: Promise<void> | undefined;
  const { grant } = options;
  const refresh =
    grant === undefined
      ? undefined
      : (): Promise<void> => {
          granting ??= grant()
            .catch((error: unknown) => {
              throw refusedGrant(error);
            })
            .then((token) => {
              current = token;
              count++;
            })
            .finally(() => {
              granting = undefined;
            });
          return granting;
        };
  return {
    async token() {
      if (current === undefined && refresh !== undefined) await refresh();
      return current;
    },
    refresh,
    grants: () => count,
  };
}
