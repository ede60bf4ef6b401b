/**
 * The fault soak (issue 24), as a script that prints its figures: Syncline replicas on one
 * Postgres (or one on the embedded database), the HubSpot and Salesforce emulators in processes of
 * their own failing a share of calls at random, the replica holding a run killed with SIGKILL, people
 * edited and created on both sides between runs; then the faults stop, two quiet runs go, and every
 * person must be on both sides once with every mapped field equal.
 *
 *   npm run bench:soak                                   # 20,000 people, 24 kills, 10 % faults
 *   npm run bench:soak -- --people 300 --rounds 8 --kills 2 --json
 *   npm run bench:soak -- --embedded                     # one replica, embedded database
 *
 * Exits 1 when a person was lost, created twice, left with a field that differs, or a run never
 * ended. `--json` prints the report as one JSON line last (the e2e test reads it).
 */
import { parseArgs } from 'node:util';
import { runSoak, type SoakReport } from './soak/run';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '30' },
    kills: { type: 'string', default: '24' },
    'fault-rate': { type: 'string', default: '0.1' },
    replicas: { type: 'string', default: '3' },
    edits: { type: 'string', default: '' },
    creates: { type: 'string', default: '' },
    seed: { type: 'string', default: '24' },
    embedded: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});

function whole(name: string, text: string | undefined, fallback: number): number {
  const value = text === undefined || text === '' ? fallback : Number(text);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`--${name} must be a number, not ${String(text)}`);
  return value;
}

function print(report: SoakReport): void {
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  const lines = [
    `database            ${report.database}, ${String(report.replicas)} replica(s)`,
    `people              ${String(report.people)}`,
    `kills               ${String(report.kills)} (SIGKILL of the replica holding the run)`,
    `faults injected     ${String(report.faultsInjected)}: ${Object.entries(report.faultsByKind)
      .map(([kind, count]) => `${kind} ${String(count)}`)
      .join(', ')}`,
    `runs                ${String(report.runs)}: ${Object.entries(report.runsByStatus)
      .map(([status, count]) => `${status} ${String(count)}`)
      .join(', ')}; unfinished ${String(report.unfinishedRuns)}`,
    `records lost        ${String(report.lost)}`,
    `duplicates created  ${String(report.duplicates)} (creates through the API: HubSpot ${String(report.creates.hubspot.viaApi)} for ${String(report.creates.hubspot.needed)} needed, Salesforce ${String(report.creates.salesforce.viaApi)} for ${String(report.creates.salesforce.needed)} needed)`,
    `mismatched fields   ${String(report.mismatchedFields)}`,
    `takeovers           ${report.takeoverMs.map(seconds).join(', ') || 'none'}`,
    `took                ${seconds(report.durationMs)}`,
  ];
  for (const line of lines) process.stdout.write(`${line}\n`);
  for (const sample of report.samples) process.stdout.write(`  ${sample}\n`);
}

async function main(): Promise<void> {
  const people = whole('people', values.people, 20_000);
  const report = await runSoak({
    people,
    rounds: whole('rounds', values.rounds, 30),
    kills: whole('kills', values.kills, 24),
    faultRate: whole('fault-rate', values['fault-rate'], 0.1),
    replicas: whole('replicas', values.replicas, 3),
    embedded: values.embedded,
    editsPerRound: whole('edits', values.edits, Math.max(10, Math.round(people / 50))),
    createsPerRound: whole('creates', values.creates, Math.max(5, Math.round(people / 200))),
    seed: whole('seed', values.seed, 24),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  print(report);
  if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  const broken =
    report.lost + report.duplicates + report.mismatchedFields + report.unfinishedRuns > 0;
  process.exitCode = broken ? 1 : 0;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 2;
});
