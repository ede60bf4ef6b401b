/**
 * The sandbox's Mailchimp audience, dealt from the same people as the CRMs: members both CRMs
 * know, HubSpot-only contacts, and newsletter sign-ups no CRM has.
 */
import { type Person, Dealer, company, person } from './sandbox-people';

/**
 * Members: this many of the people both CRMs share, of the HubSpot-only contacts, and sign-ups no
 * CRM has; of the shared ones, this many unsubscribed in Mailchimp while HubSpot still has them
 * opted in (a sync carries the unsubscribe over).
 */
export const MAILCHIMP_SIZES = {
  shared: 700,
  hubspotOnly: 250,
  own: 400,
  unsubscribedOnlyHere: 40,
};

/** A Mailchimp audience member to add: email, status, merge fields, how long ago it last changed. */
export interface MailchimpSeed {
  email: string;
  status: 'subscribed' | 'unsubscribed' | 'cleaned';
  mergeFields: Record<string, string>;
  ageMs: number;
}

/**
 * The newsletter audience: people of both CRMs (a few unsubscribed here only, which HubSpot has
 * not heard of yet), HubSpot-only contacts, and sign-ups no CRM has; a few addresses bounced.
 */
export function mailchimpMembers(
  dealer: Dealer,
  people: { sharedPeople: Person[]; hubspotOnly: Person[] },
): MailchimpSeed[] {
  const sizes = MAILCHIMP_SIZES;
  const seed = (p: Person, status: MailchimpSeed['status']): MailchimpSeed => ({
    email: p.email,
    status,
    mergeFields: { FNAME: p.first, LNAME: p.last },
    ageMs: dealer.age(),
  });
  const statusOf = (p: Person): MailchimpSeed['status'] =>
    p.optedOut ? 'unsubscribed' : dealer.chance(0.02) ? 'cleaned' : 'subscribed';
  const members: MailchimpSeed[] = [];
  // From the end of the shared people: the first ones are Marketo's.
  const shared = people.sharedPeople.slice(-sizes.shared);
  shared.forEach((p, index) => {
    members.push(seed(p, index < sizes.unsubscribedOnlyHere ? 'unsubscribed' : statusOf(p)));
  });
  // Past the contacts whose emails HubSpot holds spoiled (`plant`), so the emails agree.
  for (const p of people.hubspotOnly.slice(600, 600 + sizes.hubspotOnly))
    members.push(seed(p, statusOf(p)));
  for (let n = 0; n < sizes.own; n++) {
    const c = company(dealer);
    members.push(seed(person(dealer, [c], 0), dealer.chance(0.05) ? 'unsubscribed' : 'subscribed'));
  }
  return members;
}
