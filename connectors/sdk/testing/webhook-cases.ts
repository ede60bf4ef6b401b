/**
 * Contract cases for the webhooks capability: a request signed as the vendor signs it is the
 * vendor's, an altered or unsigned one is not, an old one is refused as stale, and a body routes
 * to the objects and ids it reports (a malformed one to its problems).
 */
import type { ConnectorCore, WebhookCapability, WebhookRequest } from '../contract';
import type { Slot } from './destination-harness';

export interface WebhookHarness {
  connector: ConnectorCore & WebhookCapability;
  /** The vendor's payload reporting changes to `ids` of `object`. */
  payload(object: string, ids: readonly string[]): string;
  /** An object the connector reads, which the vendor reports changes of. */
  object: string;
  /** The request the vendor would send with `body`, signed `ageMs` ago (0: now). */
  signed(body: string, ageMs?: number): WebhookRequest;
  /** How old a signed request may be, where the vendor says. */
  maxAgeMs?: number;
  /** A body the vendor never sends. */
  malformed: string;
  close(): Promise<void>;
}

export function registerWebhookCases(slot: Slot<WebhookHarness>): void {
  it('verifies a request signed as the vendor signs it', () => {
    const harness = slot.current;
    const request = harness.signed(harness.payload(harness.object, ['1']));
    expect(harness.connector.verify(request)).toEqual({ ok: true });
  });

  it('refuses a request whose body changed after signing, or that carries no signature', () => {
    const harness = slot.current;
    const request = harness.signed(harness.payload(harness.object, ['1']));
    const altered = { ...request, body: Buffer.from(harness.payload(harness.object, ['2'])) };
    expect(harness.connector.verify(altered)).toMatchObject({
      ok: false,
      reason: expect.any(String) as string,
    });
    expect(harness.connector.verify({ ...request, headers: {} })).toMatchObject({ ok: false });
  });

  it('refuses a signed request older than the vendor allows, as stale', () => {
    const harness = slot.current;
    if (harness.maxAgeMs === undefined) return;
    const old = harness.signed(harness.payload(harness.object, ['1']), harness.maxAgeMs + 60_000);
    expect(harness.connector.verify(old)).toMatchObject({ ok: false, stale: true });
  });

  it('routes a body to the objects and ids it reports, and a malformed one to its problems', () => {
    const harness = slot.current;
    const routed = harness.connector.route(
      Buffer.from(harness.payload(harness.object, ['7', '8'])),
    );
    expect(routed).toEqual({ events: 2, changes: [{ object: harness.object, ids: ['7', '8'] }] });
    const refused = harness.connector.route(Buffer.from(harness.malformed));
    expect('problems' in refused && refused.problems.length > 0).toBe(true);
  });
}
