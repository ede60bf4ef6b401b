/**
 * POSTs an alert to a webhook with node's http(s) client rather than fetch, so that the address
 * the socket connects to is the one that was checked (a `lookup` hook; fetch has none), and no
 * redirect is followed.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import {
  bareHost,
  isPublicAddress,
  NonPublicAddressError,
  publicOnlyLookup,
} from './public-address';

export interface WebhookAnswer {
  status: number;
  body: string;
}

export interface WebhookPostOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  /** SYNCLINE_ALERT_WEBHOOK_ALLOW_PRIVATE: http and non-public addresses too. */
  allowPrivate: boolean;
}

/** Where a webhook URL may not go, or undefined when it may (the host's addresses aside). */
export function webhookTargetProblem(url: URL, allowPrivate: boolean): string | undefined {
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:'))
    return allowPrivate ? 'must be an http or https URL' : 'must be an https URL';
  if (allowPrivate) return undefined;
  const host = bareHost(url.hostname);
  if (isIP(host) !== 0 && !isPublicAddress(host)) return 'must be on a public address';
  if (host === 'localhost' || host.endsWith('.localhost')) return 'must be on a public address';
  return undefined;
}

/** One POST; resolves with the answer, rejects on a network error, a refused address or the timeout. */
export function postWebhook(
  target: string,
  body: string,
  options: WebhookPostOptions,
): Promise<WebhookAnswer> {
  const url = new URL(target);
  const problem = webhookTargetProblem(url, options.allowPrivate);
  if (problem !== undefined)
    return Promise.reject(new NonPublicAddressError(`the webhook URL ${problem}`));
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        headers: { ...options.headers, 'content-length': String(Buffer.byteLength(body)) },
        timeout: options.timeoutMs,
        ...(options.allowPrivate ? {} : { lookup: publicOnlyLookup }),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => {
      const timeout = new Error(`no answer within ${String(options.timeoutMs)} ms`);
      timeout.name = 'TimeoutError';
      outgoing.destroy(timeout);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
