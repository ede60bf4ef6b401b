/**
 * A subscription field mapped both ways, as the tests use it: a boolean opt-out on the left (true:
 * opted out; Salesforce's HasOptedOutOfEmail, HubSpot's hs_email_optout_<id>), a Mailchimp-like
 * status on the right (`unsubscribed` and `cleaned` are opted out), each way through its transform.
 */
import type { FieldMapping } from '../definition';

/** The mapping with no policy: its connectors' opt-out values make it `unsubscribe_wins`. */
export function subscriptionMapping(left: string, right: string): FieldMapping {
  return {
    left,
    right,
    direction: 'both',
    transforms: {
      leftToRight: [{ kind: 'value_map', map: { true: 'unsubscribed', false: 'subscribed' } }],
      rightToLeft: [{ kind: 'jsonata', expression: "value in ['unsubscribed', 'cleaned']" }],
    },
  };
}

/** The mapping under `unsubscribe_wins` with its opt-out values given. */
export function optOutMapping(left: string, right: string): FieldMapping {
  return {
    ...subscriptionMapping(left, right),
    policy: 'unsubscribe_wins',
    optOut: { left: [true], right: ['unsubscribed', 'cleaned'] },
  };
}
