import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allProblems, loadConfigDir } from './load';

const SYNC = `# yaml-language-server: $schema=../schema/sync.schema.json
name: Contacts
left: { connection: CRM A, object: contacts, writeMode: upsert }
right: { connection: CRM B, object: Contact, writeMode: upsert }
direction: bidirectional
match: { left: email, right: Email, normalizer: email }
mappings:
  - { left: email, right: Email, direction: both }
  - { left: firstname, right: FirstName, direction: both }
`;

describe('loading a config folder', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'syncline-load-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, text: string): void => {
    writeFileSync(join(dir, 'syncs', name), text);
  };

  it('loads the shipped config without problems', () => {
    cpSync(join(__dirname, '..', '..', 'config'), dir, { recursive: true });
    const config = loadConfigDir(dir);
    expect(allProblems(config)).toEqual([]);
    expect(config.files.length).toBeGreaterThan(0);
    for (const file of config.files) expect(file.file).toMatch(/^syncs\/[\w-]+\.yaml$/);
  });

  it("reports the engine's rules, the schedule and duplicate names with file, line and path", () => {
    mkdirSync(join(dir, 'syncs'));
    write('a.yaml', SYNC);
    write(
      'b.yaml',
      `${SYNC.replace('{ left: firstname, right: FirstName', '{ left: firstname, right: Email')}schedule: { cron: 'every day' }\n`,
    );
    write(
      'c.yaml',
      SYNC.replace('name: Contacts', 'name: Other').replace(
        'direction: bidirectional\n',
        'direction: bidirectional\nmatch: {}\n',
      ),
    );
    expect(allProblems(loadConfigDir(dir))).toEqual([
      {
        file: 'syncs/b.yaml',
        line: 2,
        path: 'name',
        problem: 'the sync "Contacts" is defined in syncs/a.yaml already',
      },
      {
        file: 'syncs/b.yaml',
        line: 9,
        path: 'mappings[1].right',
        problem: 'right field "Email" is already mapped by mappings[0]',
      },
      {
        file: 'syncs/b.yaml',
        line: 10,
        path: 'schedule.cron',
        problem: 'must have 5 fields (minute hour day month weekday) or 6 (seconds first); got 2',
      },
      { file: 'syncs/c.yaml', line: 7, path: '', problem: 'YAML: Map keys must be unique' },
    ]);
  });

  it('reads ${ENV_VAR} alert URLs from the environment', () => {
    mkdirSync(join(dir, 'syncs'));
    write('a.yaml', `${SYNC}alerts: { webhookUrl: '\${SLACK_URL}' }\n`);
    expect(allProblems(loadConfigDir(dir, {}))).toEqual([
      {
        file: 'syncs/a.yaml',
        line: 10,
        path: 'alerts.webhookUrl',
        problem: 'the environment variable SLACK_URL is not set',
      },
    ]);
    const config = loadConfigDir(dir, { SLACK_URL: 'https://hooks.slack.com/services/T/B/x' });
    expect(allProblems(config)).toEqual([]);
    expect(config.files[0]?.spec?.alerts?.webhookUrl).toBe(
      'https://hooks.slack.com/services/T/B/x',
    );
  });
});
