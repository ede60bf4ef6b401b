/**
 * A mapping's policy as compiled: between two subscription fields, one that names no policy is
 * synced under unsubscribe_wins with the opt-out values each side's connector declares.
 */
import { compileSync, optOutLookup } from './compile';
import type { SyncDefinition } from './definition';
import { optOutMapping, subscriptionMapping } from './testing/opt-out.test-kit';

const base: SyncDefinition = {
  id: 'subscriptions',
  left: { object: 'Contact', writeMode: 'upsert' },
  right: { object: 'members', writeMode: 'upsert' },
  direction: 'bidirectional',
  match: { left: 'Email', right: 'email_address', normalizer: 'email' },
  mappings: [],
  defaultPolicy: 'latest_wins',
  tieBreaker: 'left',
  deletePolicy: 'ignore',
};

const lookup = optOutLookup(
  {
    left: {
      optOutValues: (object, field) =>
        object === 'Contact' && field === 'HasOptedOutOfEmail' ? [true] : undefined,
    },
    right: {
      optOutValues: (object, field) =>
        object === 'members' && field === 'status' ? ['unsubscribed', 'cleaned'] : undefined,
    },
  },
  { left: 'Contact', right: 'members' },
);

function compiled(mapping: SyncDefinition['mappings'][number]) {
  const first = compileSync({ ...base, mappings: [mapping] }, lookup).mappings.at(0);
  return { policy: first?.policy, optOut: first?.optOut };
}

describe('compiled policy of a subscription field', () => {
  it('defaults to unsubscribe_wins with the connectors’ opt-out values when both sides are subscription fields', () => {
    expect(compiled(subscriptionMapping('HasOptedOutOfEmail', 'status'))).toEqual({
      policy: 'unsubscribe_wins',
      optOut: { left: [true], right: ['unsubscribed', 'cleaned'] },
    });
  });

  it('keeps a policy the mapping names, and the sync default for any other field', () => {
    expect(
      compiled({ ...subscriptionMapping('HasOptedOutOfEmail', 'status'), policy: 'right_wins' }),
    ).toMatchObject({ policy: 'right_wins' });
    expect(compiled(subscriptionMapping('HasOptedOutOfEmail', 'FNAME'))).toEqual({
      policy: 'latest_wins',
      optOut: { left: [], right: [] },
    });
    expect(compiled(optOutMapping('DoNotCall', 'status'))).toEqual({
      policy: 'unsubscribe_wins',
      optOut: { left: [true], right: ['unsubscribed', 'cleaned'] },
    });
  });

  it('takes values the mapping gives over the connector’s', () => {
    expect(
      compiled({
        ...subscriptionMapping('HasOptedOutOfEmail', 'status'),
        optOut: { right: ['unsubscribed'] },
      }),
    ).toEqual({ policy: 'unsubscribe_wins', optOut: { left: [true], right: ['unsubscribed'] } });
  });

  it('has no default without the connectors', () => {
    const mapping = compileSync({
      ...base,
      mappings: [subscriptionMapping('HasOptedOutOfEmail', 'status')],
    }).mappings.at(0);
    expect(mapping?.policy).toBe('latest_wins');
  });
});
