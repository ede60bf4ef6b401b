/**
 * The consent step of OAuth 2.0's authorization code grant (RFC 6749 §4.1) as an emulator serves
 * it: a page naming the app and the scopes it asks for, whose "Allow" sends the browser back to
 * the app's redirect URI with a one-time code (and "Deny" with `error=access_denied`). Codes are
 * single use, tied to the client and redirect URI they were issued for, and expire after ten
 * minutes (§4.1.2 recommends at most that).
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../contract';
import { escapeHtml } from './emulator-kit';

const CODE_TTL_MS = 10 * 60_000;

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  expiresAt: number;
}

export type CodeRedemption =
  | { ok: true; scopes: string[] }
  | {
      ok: false;
      problem: 'unknown_code' | 'expired_code' | 'redirect_mismatch' | 'client_mismatch';
    };

export type ConsentAnswer =
  { kind: 'page'; status: number; html: string } | { kind: 'redirect'; location: string };

function page(status: number, title: string, body: string): ConsentAnswer {
  return {
    kind: 'page',
    status,
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.5}button{font:inherit;padding:.5rem 1rem;margin-right:.5rem}code{word-break:break-all}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
  };
}

export class OAuthConsent {
  private readonly codes = new Map<string, IssuedCode>();

  constructor(
    private readonly vendor: string,
    private readonly clock: Clock,
    /** Whether a client id names an app registered with the emulator. */
    private readonly knownClient: (clientId: string) => boolean,
  ) {}

  /**
   * The authorize address: the consent page (`decisionPath` takes its answer), or an error page
   * when the request cannot be sent back (no valid redirect URI, unknown client).
   */
  authorize(query: URLSearchParams, decisionPath: string): ConsentAnswer {
    const clientId = query.get('client_id') ?? '';
    const redirectUri = query.get('redirect_uri') ?? '';
    if (!this.knownClient(clientId))
      return page(400, `${this.vendor}: unknown app`, '<p>No app has this client id.</p>');
    if (!isAbsoluteHttp(redirectUri))
      return page(
        400,
        `${this.vendor}: bad redirect URI`,
        '<p>The redirect URI is missing or not an absolute http(s) URL.</p>',
      );
    const scopes = scopesOf(query.get('scope'));
    const hidden = ['client_id', 'redirect_uri', 'scope', 'state', 'response_type']
      .filter((name) => query.get(name) !== null)
      .map(
        (name) =>
          `<input type="hidden" name="${name}" value="${escapeHtml(query.get(name) ?? '')}">`,
      )
      .join('');
    const list =
      scopes.length === 0
        ? '<p>No scopes requested.</p>'
        : `<ul>${scopes.map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`).join('')}</ul>`;
    return page(
      200,
      `Connect an app to ${this.vendor} (emulator)`,
      `<p>The app <code>${escapeHtml(clientId)}</code> asks for access to this account, with these scopes:</p>${list}<p>It will be sent back to <code>${escapeHtml(redirectUri)}</code>.</p><form method="get" action="${escapeHtml(decisionPath)}">${hidden}<button type="submit" name="decision" value="allow">Allow</button><button type="submit" name="decision" value="deny">Deny</button></form>`,
    );
  }

  /** The consent page's answer: back to the redirect URI with a code, or with access_denied. */
  decide(query: URLSearchParams): ConsentAnswer {
    const clientId = query.get('client_id') ?? '';
    const redirectUri = query.get('redirect_uri') ?? '';
    if (!this.knownClient(clientId) || !isAbsoluteHttp(redirectUri))
      return page(400, `${this.vendor}: bad request`, '<p>Start again from the app.</p>');
    const back = new URL(redirectUri);
    if (query.get('decision') === 'allow') {
      const code = randomBytes(16).toString('hex');
      this.codes.set(code, {
        clientId,
        redirectUri,
        scopes: scopesOf(query.get('scope')),
        expiresAt: this.clock.now().getTime() + CODE_TTL_MS,
      });
      back.searchParams.set('code', code);
    } else {
      back.searchParams.set('error', 'access_denied');
    }
    const state = query.get('state');
    if (state !== null) back.searchParams.set('state', state);
    return { kind: 'redirect', location: back.toString() };
  }

  /** Takes a code for a token request: once only, by the client and redirect URI it was issued to. */
  redeem(code: string, clientId: string, redirectUri: string): CodeRedemption {
    const issued = this.codes.get(code);
    if (issued === undefined) return { ok: false, problem: 'unknown_code' };
    this.codes.delete(code);
    if (issued.expiresAt <= this.clock.now().getTime())
      return { ok: false, problem: 'expired_code' };
    if (issued.clientId !== clientId) return { ok: false, problem: 'client_mismatch' };
    if (issued.redirectUri !== redirectUri) return { ok: false, problem: 'redirect_mismatch' };
    return { ok: true, scopes: issued.scopes };
  }
}

function isAbsoluteHttp(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function scopesOf(value: string | null): string[] {
  return (value ?? '').split(/[\s+]+/).filter((scope) => scope !== '');
}
