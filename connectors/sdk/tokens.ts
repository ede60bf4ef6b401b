/**
 * An access token a connector may grant again (OAuth refresh token, client credentials): one grant
 * at a time however many calls find the token expired, a grant before the first call when the
 * connection starts without a token, and a count of grants made.
 */
import { ConnectorError } from './errors';

/** A granted token, with when it expires where the vendor says (`expires_in`). */
export interface GrantedToken {
  token: string;
  /** Milliseconds it stays valid from the grant; absent: until the vendor refuses it. */
  expiresInMs?: number;
}

export interface TokenSessionOptions {
  /** The token the connection starts with; none: the first call grants one. */
  token?: string | undefined;
  /** Asks the vendor for a new token; absent when nothing can renew it (an access token alone). */
  grant?: (() => Promise<string | GrantedToken>) | undefined;
  /** Told each token the session takes up (granted, or another connector's from the cache). */
  onToken?: ((token: string) => void) | undefined;
}

/** An access token as the host keeps it for a connection. */
export interface CachedToken {
  token: string;
  /** ISO; null when the vendor did not say. */
  expiresAt: string | null;
}

/**
 * Where the host keeps a connection's granted access token, so that every connector it opens (and
 * every replica) uses it until it expires instead of granting its own (ConnectorContext.tokens).
 */
export interface TokenCache {
  get(): Promise<CachedToken | undefined>;
  put(token: CachedToken): Promise<void>;
}

/** A cached token this close to its expiry is not used: a call must not start with it. */
const EXPIRY_MARGIN_MS = 60_000;

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

/**
 * The session; with a `cache` (the host's, per connection), a token granted by any connector of the
 * connection is used by the others until it expires, and each grant is kept there.
 */
export function createTokenSession(
  options: TokenSessionOptions,
  cache?: { store: TokenCache; now: () => Date },
): TokenSession {
  let current = options.token === '' ? undefined : options.token;
  let count = 0;
  let granting: Promise<void> | undefined;
  let consulted = cache === undefined || options.grant === undefined;
  const { grant } = options;
  const refresh =
    grant === undefined
      ? undefined
      : (): Promise<void> => {
          granting ??= grant()
            .catch((error: unknown) => {
              throw refusedGrant(error);
            })
            .then(async (granted) => {
              const { token, expiresInMs } =
                typeof granted === 'string' ? { token: granted, expiresInMs: undefined } : granted;
              current = token;
              count++;
              options.onToken?.(token);
              if (cache !== undefined) {
                const expiresAt =
                  expiresInMs === undefined
                    ? null
                    : new Date(cache.now().getTime() + expiresInMs).toISOString();
                // Keeping it is a saving, not a condition: a store that fails costs other
                // connectors a grant of their own, never this call.
                await cache.store.put({ token, expiresAt }).catch(() => undefined);
              }
            })
            .finally(() => {
              granting = undefined;
            });
          return granting;
        };
  /** A token another connector of the connection was granted, while it is good. */
  const cached = async (): Promise<string | undefined> => {
    consulted = true;
    const entry = await cache?.store.get().catch(() => undefined);
    if (entry === undefined || cache === undefined) return undefined;
    const valid =
      entry.expiresAt === null ||
      Date.parse(entry.expiresAt) - EXPIRY_MARGIN_MS > cache.now().getTime();
    return valid ? entry.token : undefined;
  };
  return {
    async token() {
      if (!consulted) {
        const shared = await cached();
        if (shared !== undefined && shared !== current) {
          current = shared;
          options.onToken?.(shared);
        }
      }
      if (current === undefined && refresh !== undefined) await refresh();
      return current;
    },
    refresh,
    grants: () => count,
  };
}
