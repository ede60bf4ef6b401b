/**
 * The fault soak (issue 24): Syncline replicas on one database, the HubSpot and Salesforce
 * emulators in processes of their own failing a share of calls at random (429 with and without
 * Retry-After, 5xx, timeouts, an expired Salesforce session, and writes carried out whose answer
 * is lost), the replica holding a run killed with SIGKILL, people edited and created on both sides
 * between runs. Then the faults stop, two quiet runs go, and the two vendors are compared.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../../connectors/sdk/testing/emulator-kit';
import { generateApiKey } from '../../src/auth/api-key-secret';
import { createBenchDatabase, type BenchDatabase } from '../database';
import {
  PERSON_FIELDS,
  startEmulatorHost,
  type EmulatorHost,
  type Person,
  type VendorKind,
} from './protocol';
import { replicaEnv, startReplica, type Replica } from './replica';

export interface SoakOptions {
  /** People seeded before the first run (split between the two vendors, some on both). */
  people: number;
  rounds: number;
  /** SIGKILLs of the replica holding a run, spread over the rounds. */
  kills: number;
  /** Share of vendor calls that fail while the faults are on. */
  faultRate: number;
  /** One replica on an embedded database instead of `replicas` on a Postgres server. */
  embedded: boolean;
  replicas: number;
  /** People edited, and people created, on each side between runs. */
  editsPerRound: number;
  createsPerRound: number;
  seed: number;
  log: (line: string) => void;
}

export interface SoakReport {
  database: string;
  replicas: number;
  people: number;
  kills: number;
  faultsInjected: number;
  faultsByKind: Record<string, number>;
  runs: number;
  runsByStatus: Record<string, number>;
  /** Runs still queued or running at the end. */
  unfinishedRuns: number;
  lost: number;
  duplicates: number;
  mismatchedFields: number;
  /** Records each vendor's API created, and how many people had to be created there. */
  creates: Record<VendorKind, { viaApi: number; needed: number }>;
  /** From each kill to the run's takeover by another worker, in ms. */
  takeoverMs: number[];
  durationMs: number;
  /** The first few differences found, to start from when something is off. */
  samples: string[];
}

interface RunView {
  id: string;
  status: string;
  workerId: string | null;
  finishedAt: string | null;
  takeovers: number;
  error: string | null;
}

const SIDES: VendorKind[] = ['hubspot', 'salesforce'];
const TAKEOVER_DEADLINE_MS = 120_000;
const RUN_DEADLINE_MS = 600_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function person(index: number, random: () => number): Person {
  const pick = (words: string[]): string => words[Math.floor(random() * words.length)] ?? '';
  return {
    email: `soak-${String(index)}@example.com`,
    first: pick(['Ann', 'Bob', 'Cyd', 'Dee', 'Eve', 'Fay', 'Gus', 'Hal']),
    last: pick(['Lovelace', 'Hopper', 'Turing', 'Noether', 'Curie', 'Shannon']),
    title: pick(['Engineer', 'Director', 'Buyer', 'Founder', 'Analyst']),
  };
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const started = Date.now();
  const random = seededRandom(options.seed);
  const { log } = options;
  const adminKey = generateApiKey().key;
  const hosts = {} as Record<VendorKind, EmulatorHost>;
  const replicas: Replica[] = [];
  let database: BenchDatabase | undefined;
  let dataDir: string | undefined;
  try {
    for (const side of SIDES) hosts[side] = await startEmulatorHost(side);
    if (options.embedded) dataDir = mkdtempSync(join(tmpdir(), 'syncline-soak-'));
    else database = await createBenchDatabase();
    if (database?.embedded === true)
      throw new Error('the soak needs a Postgres server for several replicas (or --embedded)');
    const env: Record<string, string> = {
      ...replicaEnv({
        adminKey,
        database: database === undefined ? { dataDir: dataDir ?? '' } : { url: database.url },
      }),
      SYNCLINE_API_RATE_LIMIT: '1000000',
    };
    const replicaCount = options.embedded ? 1 : options.replicas;
    const launch = async (): Promise<Replica> => {
      const replica = await startReplica(env);
      replicas.push(replica);
      await replica.waitUntilReady(120_000);
      return replica;
    };
    await launch();
    // The first one migrated the database; the others start together.
    await Promise.all(Array.from({ length: replicaCount - 1 }, () => launch()));
    const live = (): Replica[] => replicas.filter((replica) => replica.alive());

    const api = async (
      path: string,
      init: RequestInit = {},
    ): Promise<{ status: number; body: unknown }> => {
      for (let attempt = 0; ; attempt++) {
        const replica = live().at(Math.floor(random() * live().length));
        if (replica === undefined) throw new Error('no replica is running');
        try {
          const res = await fetch(`${replica.url}/api/v1${path}`, {
            ...init,
            headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
          });
          const text = await res.text();
          return {
            status: res.status,
            body: text === '' ? undefined : (JSON.parse(text) as unknown),
          };
        } catch (error) {
          // The replica asked may have just been killed: ask another.
          if (attempt >= 5) throw error;
          await sleep(200);
        }
      }
    };
    /** The answer's body; a status of 300 or more throws. Its shape is the caller's to name. */
    const must = async (path: string, init: RequestInit = {}): Promise<unknown> => {
      const { status, body } = await api(path, init);
      if (status >= 300)
        throw new Error(
          `${init.method ?? 'GET'} ${path}: ${String(status)} ${JSON.stringify(body)}`,
        );
      return body;
    };

    // People: most on HubSpot only, some on Salesforce only, some on both.
    let next = 0;
    const seeds: Record<VendorKind, Person[]> = { hubspot: [], salesforce: [] };
    for (; next < options.people; next++) {
      const someone = person(next, random);
      const roll = random();
      if (roll < 0.7) seeds.hubspot.push(someone);
      else if (roll < 0.9) seeds.salesforce.push(someone);
      else {
        seeds.hubspot.push(someone);
        seeds.salesforce.push({ ...someone, title: `${someone.title} (SF)` });
      }
    }
    const made: Record<VendorKind, Set<string>> = { hubspot: new Set(), salesforce: new Set() };
    for (const side of SIDES) {
      for (let i = 0; i < seeds[side].length; i += 5_000)
        await hosts[side].call({ op: 'create', people: seeds[side].slice(i, i + 5_000) });
      for (const someone of seeds[side]) made[side].add(someone.email);
    }

    const hubspotConnection = (await must('/connections', {
      method: 'POST',
      body: JSON.stringify({
        name: 'Soak HubSpot',
        kind: 'hubspot',
        sandbox: true,
        settings: { baseUrl: hosts.hubspot.ready.url },
        secrets: { accessToken: 'pat-emulator' },
      }),
    })) as { id: string };
    const sf = hosts.salesforce.ready;
    const salesforceConnection = (await must('/connections', {
      method: 'POST',
      body: JSON.stringify({
        name: 'Soak Salesforce',
        kind: 'salesforce',
        sandbox: true,
        settings: { instanceUrl: sf.url, loginUrl: sf.url },
        secrets: {
          accessToken: sf.accessToken,
          refreshToken: sf.auth?.refreshToken,
          clientId: sf.auth?.clientId,
          clientSecret: sf.auth?.clientSecret,
        },
      }),
    })) as { id: string };
    const sync = (await must('/syncs', {
      method: 'POST',
      body: JSON.stringify({
        name: 'Soak contacts',
        left: { connectionId: hubspotConnection.id, object: 'contacts', writeMode: 'upsert' },
        right: { connectionId: salesforceConnection.id, object: 'Contact', writeMode: 'upsert' },
        direction: 'bidirectional',
        match: { left: 'email', right: 'Email', normalizer: 'email' },
        mappings: [
          { left: 'email', right: 'Email', direction: 'both' },
          { left: 'firstname', right: 'FirstName', direction: 'both', policy: 'latest_wins' },
          { left: 'lastname', right: 'LastName', direction: 'both', policy: 'right_wins' },
          { left: 'jobtitle', right: 'Title', direction: 'both', policy: 'left_wins' },
        ],
        defaultPolicy: 'latest_wins',
        tieBreaker: 'left',
        deletePolicy: 'ignore',
      }),
    })) as { id: string };

    const runOf = async (id: string): Promise<RunView> => (await must(`/runs/${id}`)) as RunView;
    const finished = async (id: string): Promise<RunView> => {
      const deadline = Date.now() + RUN_DEADLINE_MS;
      for (;;) {
        const run = await runOf(id);
        if (run.finishedAt !== null) return run;
        if (Date.now() > deadline) throw new Error(`run ${id} still ${run.status}`);
        await sleep(250);
      }
    };
    /** Starts a run, first waiting out one already going (a retry the scheduler queued). */
    const trigger = async (): Promise<string> => {
      for (let attempt = 0; attempt < 50; attempt++) {
        const { status, body } = await api(`/syncs/${sync.id}/runs`, {
          method: 'POST',
        });
        if (status === 202) return (body as { id: string }).id;
        const active = (await must(`/runs?syncId=${sync.id}&status=running&limit=5`)) as {
          items: RunView[];
        };
        const queued = (await must(`/runs?syncId=${sync.id}&status=queued&limit=5`)) as {
          items: RunView[];
        };
        const other = active.items.at(0) ?? queued.items.at(0);
        if (other !== undefined) await finished(other.id);
        else await sleep(250);
      }
      throw new Error('no run could be started');
    };

    const takeoverMs: number[] = [];
    let kills = 0;
    /** Kills the replica holding `runId` once it is running, and times the takeover. */
    const killHolder = async (runId: string): Promise<void> => {
      let run = await runOf(runId);
      const until = Date.now() + 30_000;
      while (run.status !== 'running' || run.workerId === null) {
        if (run.finishedAt !== null || Date.now() > until) return;
        await sleep(50);
        run = await runOf(runId);
      }
      await sleep(Math.floor(random() * 400));
      run = await runOf(runId);
      if (run.finishedAt !== null || run.workerId === null) return;
      const worker = run.workerId;
      const pid = Number(worker.split(':')[1]);
      const holder = live().find((replica) => replica.pid === pid);
      if (holder === undefined) return;
      await holder.kill('SIGKILL');
      const killedAt = Date.now();
      kills += 1;
      // The killed replica is replaced (on the embedded database, restarted on its data).
      const replacement = launch();
      if (options.embedded) await replacement;
      const deadline = killedAt + TAKEOVER_DEADLINE_MS;
      for (;;) {
        const now = await runOf(runId);
        if (now.workerId !== worker || now.finishedAt !== null) {
          takeoverMs.push(Date.now() - killedAt);
          break;
        }
        if (Date.now() > deadline) throw new Error(`run ${runId} was not taken over after a kill`);
        await sleep(100);
      }
      await replacement;
    };

    /** Users at work between runs: edits on both sides, and new people on each. */
    const users = async (): Promise<void> => {
      for (const side of SIDES) {
        const everyone = await hosts[side].call({ op: 'people' });
        const edits = Array.from(
          { length: Math.min(options.editsPerRound, everyone.length) },
          () => {
            const target = everyone.at(Math.floor(random() * everyone.length));
            const field =
              (['first', 'last', 'title'] as const)[Math.floor(random() * 3)] ?? 'title';
            return {
              id: target?.id ?? '',
              change: { [field]: `${field}-${side}-${String(Math.floor(random() * 1e6))}` },
            };
          },
        );
        await hosts[side].call({ op: 'edit', edits });
        const fresh = Array.from({ length: options.createsPerRound }, () => person(next++, random));
        await hosts[side].call({ op: 'create', people: fresh });
        for (const someone of fresh) made[side].add(someone.email);
      }
    };

    // Kills spread over the rounds, leaving rounds at the end for one that missed.
    const killEvery =
      options.kills === 0 ? 0 : Math.max(1, Math.floor(options.rounds / (options.kills + 1)));
    for (const side of SIDES) await hosts[side].call({ op: 'chaos', rate: options.faultRate });
    for (let round = 1; round <= options.rounds; round++) {
      if (round > 1) await users();
      const runId = await trigger();
      // A kill is due every killEvery rounds; one that missed (the run ended first) is owed.
      const due = killEvery === 0 ? 0 : Math.min(options.kills, Math.floor(round / killEvery));
      if (kills < due) await killHolder(runId);
      const run = await finished(runId);
      log(
        `round ${String(round)}/${String(options.rounds)}: run ${run.status}${run.takeovers > 0 ? ` after ${String(run.takeovers)} takeover(s)` : ''}, ${String(kills)} kill(s) so far${run.error === null ? '' : ` (${run.error.slice(0, 160)})`}`,
      );
    }

    // Quiet: no more faults, every failed record due now, two runs.
    for (const side of SIDES) await hosts[side].call({ op: 'chaos', rate: 0 });
    for (let quiet = 1; quiet <= 2; quiet++) {
      await must(`/syncs/${sync.id}/failed-records/retry`, { method: 'POST', body: '{}' });
      const run = await finished(await trigger());
      log(`quiet run ${String(quiet)}: ${run.status}`);
    }

    // What the two vendors hold.
    const held = {} as Record<VendorKind, Map<string, Person[]>>;
    for (const side of SIDES) {
      held[side] = new Map();
      for (const someone of await hosts[side].call({ op: 'people' })) {
        const key = someone.email.toLowerCase();
        held[side].set(key, [...(held[side].get(key) ?? []), someone]);
      }
    }
    const everyone = new Set([...made.hubspot, ...made.salesforce]);
    const samples: string[] = [];
    let lost = 0;
    let duplicates = 0;
    let mismatched = 0;
    for (const email of everyone) {
      const here = held.hubspot.get(email) ?? [];
      const there = held.salesforce.get(email) ?? [];
      if (here.length === 0 || there.length === 0) {
        lost += 1;
        if (samples.length < 10)
          samples.push(
            `${email}: ${String(here.length)} in HubSpot, ${String(there.length)} in Salesforce`,
          );
        continue;
      }
      duplicates += here.length - 1 + (there.length - 1);
      const a = here.at(0);
      const b = there.at(0);
      for (const field of PERSON_FIELDS) {
        const left = field === 'email' ? a?.email.toLowerCase() : a?.[field];
        const right = field === 'email' ? b?.email.toLowerCase() : b?.[field];
        if (left !== right) {
          mismatched += 1;
          if (samples.length < 10)
            samples.push(
              `${email}.${field}: HubSpot ${left ?? '(none)'}, Salesforce ${right ?? '(none)'}`,
            );
        }
      }
    }
    const stats = {
      hubspot: await hosts.hubspot.call({ op: 'stats' }),
      salesforce: await hosts.salesforce.call({ op: 'stats' }),
    };
    const faultsByKind: Record<string, number> = {};
    for (const side of SIDES)
      for (const [kind, count] of Object.entries(stats[side].injected))
        faultsByKind[`${side} ${kind}`] = count;
    const runs: RunView[] = [];
    for (let cursor: string | undefined; ;) {
      const page = (await must(
        `/runs?syncId=${sync.id}&limit=200${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
      )) as { items: RunView[]; nextCursor: string | null };
      runs.push(...page.items);
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    const runsByStatus: Record<string, number> = {};
    for (const run of runs) runsByStatus[run.status] = (runsByStatus[run.status] ?? 0) + 1;
    return {
      database: database?.description ?? `embedded Postgres (PGlite) in ${dataDir ?? ''}`,
      replicas: replicaCount,
      people: everyone.size,
      kills,
      faultsInjected: Object.values(faultsByKind).reduce((sum, count) => sum + count, 0),
      faultsByKind,
      runs: runs.length,
      runsByStatus,
      unfinishedRuns: runs.filter((run) => run.finishedAt === null).length,
      lost,
      duplicates,
      mismatchedFields: mismatched,
      creates: {
        hubspot: {
          viaApi: stats.hubspot.records - stats.hubspot.madeHere,
          needed: [...everyone].filter((email) => !made.hubspot.has(email)).length,
        },
        salesforce: {
          viaApi: stats.salesforce.records - stats.salesforce.madeHere,
          needed: [...everyone].filter((email) => !made.salesforce.has(email)).length,
        },
      },
      takeoverMs,
      durationMs: Date.now() - started,
      samples,
    };
  } finally {
    for (const replica of replicas) {
      // A graceful stop, or a kill when it takes too long.
      await Promise.race([replica.kill('SIGTERM'), sleep(20_000)]).catch(() => undefined);
      await replica.kill('SIGKILL').catch(() => undefined);
    }
    for (const side of SIDES)
      await (hosts[side] as EmulatorHost | undefined)?.stop().catch(() => undefined);
    await database?.drop().catch(() => undefined);
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  }
}
