/**
 * The sandbox's vendors, as `npm start` runs them on a fresh machine: each vendor's emulator in this
 * process, seeded from one data set, with the sandbox connection to it and the lines the summary
 * shows. The vendor knowledge of the sandbox lives here, beside the registry; `src/sandbox` sees
 * only this interface. Never part of the production registry.
 */
import { ACTIVITY_INTERVAL_MS, startSandboxActivity } from './activity';
import { TEST_SECRETS as GOOGLE_ADS_SANDBOX_SECRETS } from '../google-ads/emulator';
import { type SandboxEmulators, startSandboxEmulators } from './emulators';
import { SANDBOX_ADS } from './sandbox-ads';

export { SANDBOX_HUBSPOT_APP } from './emulators';

function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

/** A sandbox connection to one emulator. */
export interface SandboxConnection {
  name: string;
  kind: string;
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
}

export interface SandboxVendors {
  connections: SandboxConnection[];
  /** The emulators themselves, for tests that look at what arrived in a vendor. */
  emulators: SandboxEmulators;
  /** How long generating and seeding took. */
  seedMs: number;
  /** Where each emulator listens, for a log line: `HubSpot at http://…, Salesforce at http://…`. */
  where(): string;
  /** One summary line per emulator: its name, URL, credentials to try, what it holds. */
  lines(): Array<{ label: string; text: string }>;
  /** A few random edits in the emulators every `activityIntervalMs`, each described to `log`. */
  startActivity(log: (line: string) => void): { stop(): void };
  activityIntervalMs: number;
  close(): Promise<void>;
}

/** The HubSpot account id the sandbox connection names (the emulator answers for any). */
const SANDBOX_PORTAL_ID = 1000001;

/** The names of the sandbox connections (for the warning when the sandbox is off). */
export const SANDBOX_CONNECTION_NAMES = [
  'HubSpot (sandbox)',
  'Salesforce (sandbox)',
  'Marketo (sandbox)',
  'Mailchimp (sandbox)',
  'Meta (sandbox)',
  'LinkedIn (sandbox)',
  'Google Ads (sandbox)',
] as const;

/** The sandbox connections, one per emulator, pointed at its port. */
function sandboxConnections(emulators: SandboxEmulators): SandboxVendors['connections'] {
  const { hubspot, salesforce, marketo, mailchimp, meta, linkedin, google } = emulators;
  const [
    hubspotName,
    salesforceName,
    marketoName,
    mailchimpName,
    metaName,
    linkedinName,
    googleName,
  ] = SANDBOX_CONNECTION_NAMES;
  return [
    {
      name: hubspotName,
      kind: 'hubspot',
      // The emulator's portal: record links then lead to its record pages.
      settings: { baseUrl: hubspot.url, portalId: SANDBOX_PORTAL_ID },
      secrets: { accessToken: emulators.hubspotToken },
    },
    {
      name: salesforceName,
      kind: 'salesforce',
      settings: { instanceUrl: salesforce.url, loginUrl: salesforce.url },
      secrets: {
        accessToken: salesforce.accessToken,
        refreshToken: salesforce.auth.refreshToken,
        clientId: salesforce.auth.clientId,
        clientSecret: salesforce.auth.clientSecret,
      },
    },
    {
      name: marketoName,
      kind: 'marketo',
      settings: { instanceUrl: `${marketo.url}/rest` },
      secrets: { ...emulators.marketoService },
    },
    {
      name: mailchimpName,
      kind: 'mailchimp',
      settings: { audienceId: emulators.mailchimpAudience, apiUrl: mailchimp.url },
      secrets: { apiKey: emulators.mailchimpKey },
    },
    {
      name: metaName,
      kind: 'meta',
      settings: {
        adAccountId: `act_${SANDBOX_ADS.meta.account}`,
        pixelId: SANDBOX_ADS.meta.pixel,
        baseUrl: meta.url,
      },
      secrets: { accessToken: emulators.metaToken },
    },
    {
      name: linkedinName,
      kind: 'linkedin',
      settings: { adAccountId: SANDBOX_ADS.linkedin.account, baseUrl: linkedin.url },
      secrets: { accessToken: emulators.linkedinToken },
    },
    {
      name: googleName,
      kind: 'google-ads',
      settings: {
        customerId: SANDBOX_ADS.google.customer,
        apiUrl: google.url,
        tokenUrl: `${google.url}/token`,
        jobPollMs: 2_000,
      },
      secrets: { ...GOOGLE_ADS_SANDBOX_SECRETS },
    },
  ];
}

export async function startSandboxVendors(): Promise<SandboxVendors> {
  const emulators = await startSandboxEmulators();
  const { hubspot, salesforce, marketo, mailchimp, meta, linkedin, google, seeded } = emulators;
  return {
    connections: sandboxConnections(emulators),
    emulators,
    seedMs: emulators.seedMs,
    where: () =>
      `HubSpot at ${hubspot.url}, Salesforce at ${salesforce.url}, Marketo at ${marketo.url}, Mailchimp at ${mailchimp.url}, Meta at ${meta.url}, LinkedIn at ${linkedin.url}, Google Ads at ${google.url}`,
    lines: () => [
      {
        label: 'HubSpot emulator',
        text: `${hubspot.url} (Authorization: Bearer ${emulators.hubspotToken}; OAuth app client id ${emulators.hubspotApp.clientId}, secret ${emulators.hubspotApp.clientSecret}): ${thousands(seeded.hubspot.contacts)} contacts, ${thousands(seeded.hubspot.companies)} companies`,
      },
      {
        label: 'Salesforce emulator',
        text: `${salesforce.url}: ${thousands(seeded.salesforce.Contact)} Contacts, ${thousands(seeded.salesforce.Account)} Accounts, ${thousands(seeded.salesforce.Lead)} Leads, ${thousands(seeded.salesforce.Opportunity)} Opportunities`,
      },
      {
        label: 'Marketo emulator',
        text: `${marketo.url}/rest (client id ${emulators.marketoService.clientId}, secret ${emulators.marketoService.clientSecret}): ${thousands(seeded.marketo.leads)} leads, ${thousands(seeded.marketo.lists)} static lists, a webinar program`,
      },
      {
        label: 'Mailchimp emulator',
        text: `${mailchimp.url} (API key ${emulators.mailchimpKey}): audience ${emulators.mailchimpAudience}, ${thousands(seeded.mailchimp.members)} members, ${thousands(seeded.mailchimp.tags)} tags`,
      },
      {
        label: 'Meta emulator',
        text: `${meta.url} (access token ${emulators.metaToken}): ad account act_${SANDBOX_ADS.meta.account}, dataset ${SANDBOX_ADS.meta.pixel}, custom audience ${SANDBOX_ADS.meta.audience}`,
      },
      {
        label: 'Google Ads emulator',
        text: `${google.url} (developer token ${GOOGLE_ADS_SANDBOX_SECRETS.developerToken}, OAuth token endpoint ${google.url}/token): customer ${SANDBOX_ADS.google.customer}, conversion action ${SANDBOX_ADS.google.action}, Customer Match list ${SANDBOX_ADS.google.list}`,
      },
      {
        label: 'LinkedIn emulator',
        text: `${linkedin.url} (access token ${emulators.linkedinToken}): ad account ${SANDBOX_ADS.linkedin.account}, conversion rule ${SANDBOX_ADS.linkedin.rule}, DMP segment ${SANDBOX_ADS.linkedin.segment}`,
      },
    ],
    startActivity: (log) => startSandboxActivity(emulators, log),
    activityIntervalMs: ACTIVITY_INTERVAL_MS,
    close: () => emulators.close(),
  };
}
