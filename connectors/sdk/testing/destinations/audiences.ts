/**
 * `test-audiences`: a connector that is an audience destination and nothing else, over an
 * in-process vendor holding lists of identifiers (hashed where the rules say), one of them
 * read-only as a vendor's dynamic list is. For the SDK's own tests; not in the registry.
 */
import type {
  AudienceDescriptor,
  AudienceMember,
  MemberResult,
  MembershipChange,
} from '../../contract';
import { defineConnector } from '../../define';
import { TEST_IDENTIFIER_RULES } from './events';
import { FaultQueue, TEST_DESTINATION, testLimits, testParts, vendorNamed } from './vendor';

interface TestAudience extends AudienceDescriptor {
  /** Member identifiers as the vendor holds them, by our member key. */
  members: Map<string, AudienceMember['identifiers']>;
}

export const WRITABLE_AUDIENCE = 'aud-writable';
export const DYNAMIC_AUDIENCE = 'aud-dynamic';

export class TestAudienceVendor {
  readonly audiences = new Map<string, TestAudience>([
    [
      WRITABLE_AUDIENCE,
      { id: WRITABLE_AUDIENCE, name: 'Customers', writable: true, members: new Map() },
    ],
    [
      DYNAMIC_AUDIENCE,
      {
        id: DYNAMIC_AUDIENCE,
        name: 'Active (rule-based)',
        writable: false,
        reason: 'its members come from a rule in the vendor',
        members: new Map(),
      },
    ],
  ]);
  readonly faults = new FaultQueue();

  list(): AudienceDescriptor[] {
    this.faults.enter('list');
    return [...this.audiences.values()].map(({ members: _members, ...descriptor }) => descriptor);
  }

  change(request: MembershipChange): MemberResult[] {
    this.faults.enter('change');
    const audience = this.audiences.get(request.audience);
    const refuse = (
      member: AudienceMember,
      message: string,
      code: 'not_found' | 'permission_denied',
    ): MemberResult => ({
      key: member.key,
      status: 'failed',
      error: { code, message, retryable: false },
    });
    const results: MemberResult[] = [];
    for (const member of request.add) {
      if (audience === undefined) results.push(refuse(member, 'no such audience', 'not_found'));
      else if (!audience.writable)
        results.push(refuse(member, 'the audience is not writable', 'permission_denied'));
      else {
        audience.members.set(member.key, member.identifiers);
        results.push({ key: member.key, status: 'added' });
      }
    }
    for (const member of request.remove) {
      if (audience === undefined) results.push(refuse(member, 'no such audience', 'not_found'));
      else if (!audience.writable)
        results.push(refuse(member, 'the audience is not writable', 'permission_denied'));
      else {
        const had = audience.members.delete(member.key);
        results.push({ key: member.key, status: had ? 'removed' : 'skipped' });
      }
    }
    return results;
  }
}

export const TEST_MEMBER_BATCH = 40;

export function testAudienceVendor(store: string): TestAudienceVendor {
  return vendorNamed(`audiences:${store}`, () => new TestAudienceVendor());
}

export const testAudiencesConnector = defineConnector({
  kind: 'test-audiences',
  label: 'Test audience destination',
  ...TEST_DESTINATION,
  capabilities: ['audiences'],
  limits: () => testLimits({ members: TEST_MEMBER_BATCH }),
  open: ({ settings, context }) => {
    const vendor = testAudienceVendor(settings.store);
    const { policy, core } = testParts(settings.store, context);
    return {
      ...core,
      identifiers: TEST_IDENTIFIER_RULES,
      audiences: () =>
        policy.run({ endpoint: 'GET /audiences', idempotent: true }, () =>
          Promise.resolve(vendor.list()),
        ),
      // Adding a member twice, or removing one gone, changes nothing: safe to repeat.
      changeMembers: (request) =>
        policy.run({ endpoint: 'POST /audiences/:id/members', idempotent: true }, () =>
          Promise.resolve(vendor.change(request)),
        ),
    };
  },
});
