/**
 * Who may call ("Authentication" of the Marketing API, "Access the Marketing API with OAuth 2"):
 * HTTP Basic with any user name and an API key as the password, the key ending in its data
 * centre (`…-us21`), which must be the server's; or an OAuth 2 access token as a Bearer token
 * (Mailchimp's tokens do not expire; a revoked one is refused). Calls without either: 401 API Key
 * Missing; with a wrong key or one of another data centre: 401 API Key Invalid.
 */
import { Problem } from './problems';

export interface Account {
  /** The account's API keys, each `<32 hex>-<dc>`. */
  apiKeys: string[];
  /** OAuth 2 access tokens issued to apps. */
  accessTokens: string[];
  accountName: string;
}

export const TEST_DC = 'us21';
export const TEST_API_KEY = `0123456789abcdef0123456789abcdef-${TEST_DC}`;
export const TEST_ACCESS_TOKEN = 'mc-emulator-oauth-token-5f1c2d';

export class MailchimpAuth {
  readonly revoked = new Set<string>();

  constructor(
    readonly dc: string,
    readonly account: Account,
  ) {}

  /** The credential of an authorised call (its key or token), or the problem answered. */
  check(header: string | undefined): string {
    if (header === undefined || header.trim() === '')
      throw new Problem(401, 'API Key Missing', 'Your request did not include an API key.');
    const [scheme = '', value = ''] = header.trim().split(/\s+/, 2);
    const kind = scheme.toLowerCase();
    let credential: string | undefined;
    if (kind === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      credential = colon < 0 ? undefined : decoded.slice(colon + 1);
      const dc = credential?.split('-').at(-1);
      if (credential !== undefined && dc !== this.dc)
        throw new Problem(
          401,
          'API Key Invalid',
          "Your API key may be invalid, or you've attempted to access the wrong datacenter.",
        );
      if (credential === undefined || !this.account.apiKeys.includes(credential))
        credential = undefined;
    } else if (kind === 'bearer' || kind === 'oauth') {
      credential = this.account.accessTokens.includes(value) ? value : undefined;
    }
    if (credential === undefined || this.revoked.has(credential))
      throw new Problem(
        401,
        'API Key Invalid',
        "Your API key may be invalid, or you've attempted to access the wrong datacenter.",
      );
    return credential;
  }
}
