/**
 * An access token a connector may grant again (OAuth refresh token, client credentials): one grant
 * at a time however many calls find the token expired, a grant before the first call when the
 * connection starts without a token, and a count of grants made.
 */
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
