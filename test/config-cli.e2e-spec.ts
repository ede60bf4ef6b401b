/**
 * Sync definitions as code with the real CLI (`node bin/syncline.js`, the build of `npm run
 * build`) in a child process, against the app on sandbox connections to the HubSpot and
 * Salesforce emulators named as the shipped config/ expects: validate, apply, plan, a change of
 * one mapping, bad files, export, runs, logs and trigger; and applyConfigDir as the server calls
 * it at boot.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type GoogleAdsEmulator,
  TEST_SECRETS as GOOGLE_SECRETS,
  startGoogleAdsEmulator,
} from '../connectors/google-ads/emulator';
import { startHubSpotEmulator, type HubSpotEmulator } from '../connectors/hubspot/emulator';
import {
  type MarketoEmulator,
  TEST_SERVICE,
  startMarketoEmulator,
} from '../connectors/marketo/emulator';
import {
  type MailchimpEmulator,
  TEST_API_KEY,
  startMailchimpEmulator,
} from '../connectors/mailchimp/emulator';
import { SANDBOX_AUDIENCE } from '../connectors/sandbox/emulators';
import { SANDBOX_ADS, seedAdPlatforms } from '../connectors/sandbox/sandbox-ads';
import {
  type LinkedInEmulator,
  TEST_ACCESS_TOKEN as LINKEDIN_TOKEN,
  startLinkedInEmulator,
} from '../connectors/linkedin/emulator';
import {
  type MetaEmulator,
  TEST_ACCESS_TOKEN as META_TOKEN,
  startMetaEmulator,
} from '../connectors/meta/emulator';
import {
  startSalesforceEmulator,
  type SalesforceEmulator,
} from '../connectors/salesforce/emulator';
import { applyConfigDir } from '../src/sync-config/apply-dir';
import { applyPlan } from '../src/sync-config/apply';
import { SynclineClient } from '../src/sync-config/client';
import { loadConfigDir } from '../src/sync-config/load';
import { makePlan } from '../src/sync-config/plan';
import { checkAgainstServer } from '../src/sync-config/server-check';
import { startTestApp, type TestApp } from './support/app';
import { json, salesforceConnectionBody } from './support/api-helpers';
import { type CliResult, ROOT, runCli } from './support/cli';

const TWO_WAY = 'HubSpot contacts ↔ Salesforce Contacts';
const TWO_WAY_FILE = 'syncs/hubspot-contacts-salesforce-contacts.yaml';
const ONE_WAY = 'Salesforce Leads → HubSpot contacts';
const MARKETO = 'Salesforce Leads ↔ Marketo leads';
const MARKETO_FILE = 'syncs/salesforce-leads-marketo-leads.yaml';
const NEWSLETTER = 'HubSpot contacts → Mailchimp newsletter';
const NEWSLETTER_FILE = 'syncs/hubspot-contacts-mailchimp-newsletter.yaml';
const TAG = 'HubSpot customers → Mailchimp tag Customers';
const TAG_FILE = 'syncs/hubspot-customers-mailchimp-tag-customers.yaml';
const SEGMENT = 'HubSpot customers → LinkedIn segment Customers';
const SEGMENT_FILE = 'syncs/hubspot-customers-linkedin-segment-customers.yaml';
const WON = 'Salesforce won opportunities → Meta purchases';
const MATCH = 'HubSpot customers → Google Ads Customer Match';
const MATCH_FILE = 'syncs/hubspot-customers-google-ads-customer-match.yaml';
const CLICKS = 'Salesforce won opportunities → Google Ads conversions';
const CLICKS_FILE = 'syncs/salesforce-won-opportunities-google-ads-conversions.yaml';
const WON_FILE = 'syncs/salesforce-won-opportunities-meta-purchases.yaml';

interface SyncBody {
  id: string;
  name: string;
  version: number;
  enabled: boolean;
  left: { connectionId: string; object: string };
  right: { connectionId: string; object: string };
  mappings: Array<{ left: string; right: string; policy?: string }>;
  schedule: Record<string, unknown> | null;
}

describe('sync definitions as code: the syncline CLI', () => {
  let app: TestApp;
  let hubspot: HubSpotEmulator;
  let salesforce: SalesforceEmulator;
  let marketo: MarketoEmulator;
  let mailchimp: MailchimpEmulator;
  let meta: MetaEmulator;
  let linkedin: LinkedInEmulator;
  let google: GoogleAdsEmulator;
  let work: string;
  let connectionIds: Record<
    'hubspot' | 'salesforce' | 'marketo' | 'mailchimp' | 'meta' | 'linkedin' | 'google',
    string
  >;

  /** Runs the CLI in the test's folder. */
  function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
    return runCli(app, work, args, env);
  }

  /** Starts the CLI and resolves with its output once `until` matches it; then stops it. */
  function cliUntil(args: string[], until: RegExp): Promise<string> {
    const { NODE_OPTIONS: _jestVmModules, ...inherited } = process.env;
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(ROOT, 'bin', 'syncline.js'), ...args], {
        cwd: work,
        env: { ...inherited, SYNCLINE_URL: app.url, SYNCLINE_API_KEY: app.adminKey, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error(`timed out; output so far: ${stdout}`));
      }, 20_000);
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        if (until.test(stdout)) {
          clearTimeout(timer);
          child.kill();
          resolve(stdout);
        }
      });
      child.on('error', reject);
    });
  }

  const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');

  async function syncsByName(): Promise<Map<string, SyncBody>> {
    const list = await json<{ items: SyncBody[] }>(app.request('/api/v1/syncs?limit=200'));
    return new Map(list.items.map((sync) => [sync.name, sync]));
  }

  beforeAll(async () => {
    // No scheduler ticks during the test: runs happen when the test triggers them.
    app = await startTestApp({ SYNCLINE_ALLOW_SANDBOX: 'true', SYNCLINE_TICK_SECONDS: '3600' });
    hubspot = await startHubSpotEmulator();
    salesforce = await startSalesforceEmulator();
    marketo = await startMarketoEmulator();
    mailchimp = await startMailchimpEmulator();
    meta = await startMetaEmulator();
    linkedin = await startLinkedInEmulator();
    // The ad platforms' accounts config/ names; no opportunities are needed here.
    google = await startGoogleAdsEmulator();
    seedAdPlatforms({ meta, linkedin, google, salesforce }, []);
    // The sandbox's audience and its first tag, which config/ names (segment 10001).
    const newsletter = mailchimp.store.createList('Newsletter', SANDBOX_AUDIENCE);
    mailchimp.store.createSegment(newsletter, 'Customers', 'static');
    const create = async (body: Record<string, unknown>): Promise<string> => {
      const res = await app.request('/api/v1/connections', {
        method: 'POST',
        body: JSON.stringify({ sandbox: true, ...body }),
      });
      expect(res.status).toBe(201);
      return (await json<{ id: string }>(res)).id;
    };
    connectionIds = {
      hubspot: await create({
        name: 'HubSpot (sandbox)',
        kind: 'hubspot',
        settings: { baseUrl: hubspot.url },
        secrets: { accessToken: 'pat-emulator' },
      }),
      salesforce: await create(salesforceConnectionBody('Salesforce (sandbox)', salesforce)),
      marketo: await create({
        name: 'Marketo (sandbox)',
        kind: 'marketo',
        settings: { instanceUrl: `${marketo.url}/rest` },
        secrets: { clientId: TEST_SERVICE.clientId, clientSecret: TEST_SERVICE.clientSecret },
      }),
      mailchimp: await create({
        name: 'Mailchimp (sandbox)',
        kind: 'mailchimp',
        settings: { audienceId: SANDBOX_AUDIENCE, apiUrl: mailchimp.url },
        secrets: { apiKey: TEST_API_KEY },
      }),
      meta: await create({
        name: 'Meta (sandbox)',
        kind: 'meta',
        settings: {
          adAccountId: `act_${SANDBOX_ADS.meta.account}`,
          pixelId: SANDBOX_ADS.meta.pixel,
          baseUrl: meta.url,
        },
        secrets: { accessToken: META_TOKEN },
      }),
      linkedin: await create({
        name: 'LinkedIn (sandbox)',
        kind: 'linkedin',
        settings: { adAccountId: SANDBOX_ADS.linkedin.account, baseUrl: linkedin.url },
        secrets: { accessToken: LINKEDIN_TOKEN },
      }),
      google: await create({
        name: 'Google Ads (sandbox)',
        kind: 'google-ads',
        settings: {
          customerId: SANDBOX_ADS.google.customer,
          apiUrl: google.url,
          tokenUrl: `${google.url}/token`,
        },
        secrets: { ...GOOGLE_SECRETS },
      }),
    };
    work = mkdtempSync(join(tmpdir(), 'syncline-config-'));
    cpSync(join(ROOT, 'config'), join(work, 'config'), { recursive: true });
  });

  afterAll(async () => {
    await app.stop();
    await hubspot.close();
    await salesforce.close();
    await marketo.close();
    await mailchimp.close();
    await meta.close();
    await linkedin.close();
    await google.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('validates, applies, plans nothing, then exactly one changed mapping, and applies it', async () => {
    const valid = await cli(['validate']);
    expect(valid.stderr).toBe('');
    expect(valid).toMatchObject({ code: 0, stdout: '9 sync definitions valid.\n' });

    // No terminal and no --yes: nothing is applied.
    const refused = await cli(['apply']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('pass --yes');
    expect((await syncsByName()).size).toBe(0);

    const applied = await cli(['apply', '--yes']);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(lines(applied.stdout)).toEqual([
      `+ create "${NEWSLETTER}" (${NEWSLETTER_FILE})`,
      '      HubSpot (sandbox) contacts → Mailchimp (sandbox) members, 3 mappings',
      `+ create "${TWO_WAY}" (${TWO_WAY_FILE})`,
      '      HubSpot (sandbox) contacts ↔ Salesforce (sandbox) Contact, 6 mappings',
      `+ create "${MATCH}" (${MATCH_FILE})`,
      `      HubSpot (sandbox) contacts → Google Ads (sandbox) ${SANDBOX_ADS.google.list}, 0 mappings`,
      `+ create "${SEGMENT}" (${SEGMENT_FILE})`,
      `      HubSpot (sandbox) contacts → LinkedIn (sandbox) ${SANDBOX_ADS.linkedin.segment}, 0 mappings`,
      `+ create "${TAG}" (${TAG_FILE})`,
      '      HubSpot (sandbox) contacts → Mailchimp (sandbox) 10001, 0 mappings',
      `+ create "${ONE_WAY}" (syncs/salesforce-leads-hubspot-contacts.yaml)`,
      '      Salesforce (sandbox) Lead → HubSpot (sandbox) contacts, 6 mappings',
      `+ create "${MARKETO}" (${MARKETO_FILE})`,
      '      Salesforce (sandbox) Lead ↔ Marketo (sandbox) leads, 7 mappings',
      `+ create "${CLICKS}" (${CLICKS_FILE})`,
      `      Salesforce (sandbox) Opportunity → Google Ads (sandbox) ${SANDBOX_ADS.google.action}, 1 mapping`,
      `+ create "${WON}" (${WON_FILE})`,
      '      Salesforce (sandbox) Opportunity → Meta (sandbox) Purchase, 1 mapping',
      'Plan: 9 to create, 0 to change, 0 to remove.',
      'Applied: 9 created, 0 changed, 0 removed.',
    ]);
    const syncs = await syncsByName();
    expect(syncs.get(TWO_WAY)).toMatchObject({
      enabled: true,
      left: { connectionId: connectionIds.hubspot, object: 'contacts' },
      right: { connectionId: connectionIds.salesforce, object: 'Contact' },
      schedule: { intervalSeconds: 30 },
    });
    expect(syncs.get(ONE_WAY)).toMatchObject({
      left: { connectionId: connectionIds.salesforce, object: 'Lead' },
      right: { connectionId: connectionIds.hubspot, object: 'contacts' },
      schedule: { cron: '*/5 * * * *', timezone: 'UTC' },
    });
    expect(syncs.get(MARKETO)).toMatchObject({
      left: { connectionId: connectionIds.salesforce, object: 'Lead' },
      right: { connectionId: connectionIds.marketo, object: 'leads' },
    });

    const same = await cli(['plan']);
    expect(same).toMatchObject({
      code: 0,
      stdout: 'No changes: the server matches these files (9 syncs).\n',
      stderr: '',
    });

    const file = join(work, 'config', TWO_WAY_FILE);
    const text = readFileSync(file, 'utf8');
    const edited = text.replace(
      '{ left: jobtitle, right: Title, direction: both, policy: left_wins }',
      '{ left: jobtitle, right: Title, direction: both, policy: right_wins }',
    );
    expect(edited).not.toBe(text);
    writeFileSync(file, edited);

    const changed = await cli(['plan']);
    expect(changed.stderr).toBe('');
    expect(changed.code).toBe(0);
    expect(lines(changed.stdout)).toEqual([
      `~ change "${TWO_WAY}" (${TWO_WAY_FILE})`,
      '      ~ mappings[3].policy (jobtitle ↔ Title): "left_wins" → "right_wins"',
      'Plan: 0 to create, 1 to change, 0 to remove.',
    ]);
    expect((await cli(['plan', '--detailed-exitcode'])).code).toBe(2);
    // The change previewed on the emulators' records before it is applied: nothing written.
    const previewed = await cli(['plan', '--preview', '--sample', '20']);
    expect(previewed.stderr).toBe('');
    expect(previewed.code).toBe(0);
    const previewLines = lines(previewed.stdout);
    expect(previewLines.slice(0, 3)).toEqual(lines(changed.stdout));
    // The test's emulators hold no contacts yet: a preview that reads nothing, and says so.
    expect(previewLines.slice(3)).toEqual([
      `  preview "${TWO_WAY}": 0 records read, 0 to create, 0 to update (0 field changes), 0 conflicts, 0 skipped, 0 unchanged; 2 API calls`,
    ]);

    const version = (await syncsByName()).get(TWO_WAY)?.version ?? 0;
    const applyChange = await cli(['apply', '--yes']);
    expect(applyChange.code).toBe(0);
    expect(lines(applyChange.stdout).at(-1)).toBe('Applied: 0 created, 1 changed, 0 removed.');
    const after = (await syncsByName()).get(TWO_WAY);
    expect(after?.version).toBe(version + 1);
    expect(after?.mappings[3]).toMatchObject({
      left: 'jobtitle',
      right: 'Title',
      policy: 'right_wins',
    });

    const empty = await cli(['plan', '--detailed-exitcode']);
    expect(empty).toMatchObject({
      code: 0,
      stdout: 'No changes: the server matches these files (9 syncs).\n',
    });
  });

  it('fails validate on an unknown key, a bad policy and a Salesforce field that does not exist', async () => {
    const dir = join(work, 'bad');
    cpSync(join(work, 'config'), dir, { recursive: true });
    rmSync(join(dir, 'syncs', 'salesforce-leads-hubspot-contacts.yaml'));
    const base = readFileSync(join(dir, TWO_WAY_FILE), 'utf8');
    const variant = (name: string, change: (text: string) => string): void => {
      const text = change(base.replace(`name: ${TWO_WAY}`, `name: ${name}`));
      expect(text).not.toBe(base);
      writeFileSync(join(dir, 'syncs', `${name}.yaml`), text);
    };
    variant('unknown-key', (text) =>
      text.replace(
        '  writeMode: upsert\nright:',
        '  writeMode: upsert\n  wirteMode: upsert\nright:',
      ),
    );
    variant('bad-policy', (text) =>
      text.replace('defaultPolicy: latest_wins', 'defaultPolicy: sometimes_wins'),
    );
    variant('missing-field', (text) =>
      text.replace('right: Title, direction: both', 'right: Foo__c, direction: both'),
    );
    const lineOf = (file: string, needle: string): number =>
      readFileSync(join(dir, 'syncs', file), 'utf8')
        .split('\n')
        .findIndex((line) => line.includes(needle)) + 1;

    const result = await cli(['validate', dir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(lines(result.stderr)).toEqual([
      `syncs/bad-policy.yaml:${String(lineOf('bad-policy.yaml', 'defaultPolicy'))}: defaultPolicy: "sometimes_wins" is not allowed (expected one of left_wins, right_wins, prefer_left_unless_blank, prefer_right_unless_blank, latest_wins, manual, unsubscribe_wins)`,
      `syncs/unknown-key.yaml:${String(lineOf('unknown-key.yaml', 'wirteMode'))}: left.wirteMode: unknown key "wirteMode" (expected one of connection, object, writeMode, filter, audience)`,
      `syncs/missing-field.yaml:${String(lineOf('missing-field.yaml', 'Foo__c'))}: mappings[3].right: right object Contact has no field "Foo__c"`,
      `3 problems in ${dir}`,
    ]);
    // The same problems stop plan and apply before anything is planned.
    const plan = await cli(['plan', dir]);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('3 problems: nothing planned.');
    expect((await cli(['apply', '--yes', dir])).code).toBe(1);
  });

  it('exports the server to files that plan finds identical, and prunes only when asked', async () => {
    const dir = join(work, 'exported');
    const exported = await cli(['export', dir]);
    expect(exported.code).toBe(0);
    expect(lines(exported.stdout)).toEqual([
      `created   ${NEWSLETTER_FILE}  (${NEWSLETTER})`,
      `created   ${TWO_WAY_FILE}  (${TWO_WAY})`,
      `created   ${MATCH_FILE}  (${MATCH})`,
      `created   ${SEGMENT_FILE}  (${SEGMENT})`,
      `created   ${TAG_FILE}  (${TAG})`,
      `created   syncs/salesforce-leads-hubspot-contacts.yaml  (${ONE_WAY})`,
      `created   ${MARKETO_FILE}  (${MARKETO})`,
      `created   ${CLICKS_FILE}  (${CLICKS})`,
      `created   ${WON_FILE}  (${WON})`,
      'created   schema/sync.schema.json',
      `Exported 9 syncs to ${dir}.`,
    ]);
    const text = readFileSync(join(dir, TWO_WAY_FILE), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/sync.schema.json');
    expect(text).toContain('connection: HubSpot (sandbox)');
    expect(text).toContain(
      '  - { left: jobtitle, right: Title, direction: both, policy: right_wins }',
    );

    expect(await cli(['plan', dir])).toMatchObject({
      code: 0,
      stdout: 'No changes: the server matches these files (9 syncs).\n',
    });
    // Exporting again rewrites nothing.
    expect(lines((await cli(['export', dir])).stdout).slice(0, 2)).toEqual([
      `unchanged ${NEWSLETTER_FILE}  (${NEWSLETTER})`,
      `unchanged ${TWO_WAY_FILE}  (${TWO_WAY})`,
    ]);

    // A sync no file defines: listed, removed with --prune only.
    rmSync(join(dir, 'syncs', 'salesforce-leads-hubspot-contacts.yaml'));
    const unmanaged = await cli(['plan', dir]);
    expect(lines(unmanaged.stdout)).toEqual([
      `  "${ONE_WAY}": on the server, not managed by these files (kept; --prune removes it)`,
      'No changes: the server matches these files (8 syncs).',
    ]);
    const prune = await cli(['plan', '--prune', dir]);
    expect(lines(prune.stdout)).toEqual([
      `- remove "${ONE_WAY}"`,
      'Plan: 0 to create, 0 to change, 1 to remove.',
    ]);
    expect((await syncsByName()).has(ONE_WAY)).toBe(true);
  });

  it('triggers a run and waits for it, lists runs and reads the sync log', async () => {
    hubspot.store.insert('contacts', {
      email: 'ada@example.com',
      firstname: 'Ada',
      lastname: 'Lovelace',
      jobtitle: 'Analyst',
    });
    // Following the log from before the run: its events show up as it goes.
    const followed = cliUntil(
      ['logs', '--sync', TWO_WAY, '--since', '1s', '--follow'],
      /created\s+right \d+ ↔ 003\w+ \[/,
    );
    const triggered = await cli(['trigger', TWO_WAY, '--wait']);
    expect(triggered.stderr).toBe('');
    expect(triggered.code).toBe(0);
    expect(lines(triggered.stdout)[1]).toMatch(
      /^run [0-9a-f-]{36} succeeded in \S+: read \d+, created 1, updated 0, unchanged \d+, conflicts 0, failed 0$/,
    );
    expect(salesforce.store.list('Contact').map((r) => r.values['Email'])).toEqual([
      'ada@example.com',
    ]);

    const runs = await cli(['runs', '--sync', TWO_WAY]);
    expect(runs.code).toBe(0);
    const [header, row] = lines(runs.stdout);
    expect(header).toMatch(/^STARTED\s+SYNC\s+TRIGGER\s+STATUS\s+READ\s+CREATED/);
    expect(row).toContain(`${TWO_WAY}  manual   succeeded`);

    expect(await followed).toMatch(/created\s+right \d+ ↔ 003\w+ \[/);

    const logs = await cli(['logs', '--sync', TWO_WAY]);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/created\s+right \d+ ↔ 003\w+/);

    const full = await cli(['trigger', TWO_WAY, '--full-refresh', '--wait']);
    expect(full.code).toBe(0);
    expect(lines(full.stdout)[0]).toMatch(/^run [0-9a-f-]{36} of ".+" \(full refresh\) queued$/);
    expect(lines(full.stdout)[1]).toMatch(
      /^run [0-9a-f-]{36} succeeded in \S+: read \d+, created 0,/,
    );

    const unknown = await cli(['trigger', 'No such sync']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no sync named "No such sync"');
  });

  it('reports a connection error and a refused key with exit code 2', async () => {
    const refused = await cli(['plan'], { SYNCLINE_API_KEY: 'sl_wrong' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('refused the API key');
    const unreachable = await cli(['plan', '--url', 'http://127.0.0.1:9']);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain('cannot reach Syncline at http://127.0.0.1:9');
  });

  it('refuses an update planned on a stale version, and applies a folder at boot without deleting', async () => {
    const client = new SynclineClient(app.url, app.adminKey);
    const dir = join(work, 'config');
    const file = join(dir, TWO_WAY_FILE);
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('defaultPolicy: latest_wins', 'defaultPolicy: left_wins'),
    );
    const config = loadConfigDir(dir);
    const check = await checkAgainstServer(config, client);
    const plan = await makePlan(config, client, check);
    expect(plan.updates.map((u) => u.name)).toEqual([TWO_WAY]);
    const sync = (await syncsByName()).get(TWO_WAY);
    // Someone changes the sync between plan and apply.
    const res = await app.request(`/api/v1/syncs/${sync?.id ?? ''}/disable`, {
      method: 'POST',
      body: JSON.stringify({ version: sync?.version }),
    });
    expect(res.status).toBe(200);
    const stale = await applyPlan(plan, client, check.connectionIds);
    expect(stale.problems).toEqual([
      {
        file: TWO_WAY_FILE,
        path: '',
        problem: `the sync "${TWO_WAY}" changed on the server since the plan was made; run plan again and re-apply`,
      },
    ]);

    // At boot: creates and updates (enabling the sync again, as its file says), never deletes.
    const extra = await app.request('/api/v1/syncs', {
      method: 'POST',
      body: JSON.stringify({
        name: 'Made in the console',
        left: { connectionId: connectionIds.hubspot, object: 'contacts', writeMode: 'upsert' },
        right: { connectionId: connectionIds.salesforce, object: 'Contact', writeMode: 'upsert' },
        direction: 'left_to_right',
        match: { left: 'email', right: 'Email', normalizer: 'email' },
        mappings: [
          { left: 'email', right: 'Email', direction: 'both' },
          { left: 'lastname', right: 'LastName', direction: 'both' },
        ],
      }),
    });
    expect(extra.status).toBe(201);
    const logged: string[] = [];
    const result = await applyConfigDir({
      dir,
      url: app.url,
      apiKey: app.adminKey,
      log: (line) => logged.push(line),
    });
    expect(result).toEqual({
      created: [],
      changed: [TWO_WAY],
      unchanged: [NEWSLETTER, MATCH, SEGMENT, TAG, ONE_WAY, MARKETO, CLICKS, WON],
      kept: [],
      problems: [],
    });
    expect(logged).toEqual([`changed ${TWO_WAY}`]);
    const syncs = await syncsByName();
    expect(syncs.get(TWO_WAY)?.enabled).toBe(true);
    expect(syncs.has('Made in the console')).toBe(true);

    // A bad folder applies nothing and says why.
    writeFileSync(join(dir, 'syncs', 'broken.yaml'), 'name: Broken\nleft: [\n');
    const broken = await applyConfigDir({ dir, url: app.url, apiKey: app.adminKey });
    expect(broken.created).toEqual([]);
    expect(broken.problems).toEqual([
      expect.objectContaining({ file: 'syncs/broken.yaml', line: expect.any(Number) as number }),
    ]);
  });
});
