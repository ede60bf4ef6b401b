/**
 * The sandbox that `npm start` runs on a fresh machine (SYNCLINE_SANDBOX): the vendors' emulators
 * in this process, seeded (connectors/sandbox); the sandbox connections to them; the example syncs
 * of config/ (applied after listen, see app.ts); simulated activity; and a summary of where to look.
 *
 * In two steps around `listen`: `startSandbox` before it (emulators, connections, reset), so that
 * neither the worker nor the scheduler ever sees the previous start's emulator URLs; `ready` after
 * it (first runs due now, activity, summary).
 */
import { Logger, type INestApplication } from '@nestjs/common';
import { ApiKeysService } from '../auth/api-keys.service';
import type { AppConfig } from '../config/environment';
import { ConnectionsService } from '../connections/connections.service';
import {
  SANDBOX_CONNECTION_NAMES,
  startSandboxVendors,
  type SandboxVendors,
} from '../../connectors/sandbox';
import type { BootConfigOutcome } from './boot-config';
import { SandboxSyncs } from '../persistence/sandbox-syncs';

export interface Sandbox {
  vendors: SandboxVendors;
  /** After listen: makes the sandbox syncs due and starts the activity. */
  ready(options: { url: string; config: BootConfigOutcome | undefined }): Promise<void>;
  /** Where to look, for a person at the terminal (once `ready`). */
  summary(): string;
  close(): Promise<void>;
}

/** Whether this start runs the sandbox, and why (for the log). */
export async function sandboxWanted(
  app: INestApplication,
  config: AppConfig,
  embedded: boolean,
): Promise<{ on: boolean; reason: string }> {
  switch (config.sandbox) {
    case 'off':
      return { on: false, reason: 'SYNCLINE_SANDBOX=off' };
    case 'on':
      return { on: true, reason: 'SYNCLINE_SANDBOX=on' };
    case 'auto':
      if (!embedded) return { on: false, reason: 'the database is a server (DATABASE_URL)' };
      if (await app.get(ConnectionsService).hasRealConnections())
        return { on: false, reason: 'a real (non-sandbox) connection exists' };
      return { on: true, reason: 'embedded database and no real connection' };
    default: {
      const unreachable: never = config.sandbox;
      return unreachable;
    }
  }
}

/**
 * With the sandbox off, the sandbox connections point at emulators that are not running: says so
 * when enabled syncs still use them (their runs will fail until they are disabled or deleted).
 */
export async function warnAboutSandboxSyncs(app: INestApplication, reason: string): Promise<void> {
  const syncs = await app.get(SandboxSyncs).enabledUsing([...SANDBOX_CONNECTION_NAMES]);
  if (syncs.length === 0) return;
  new Logger('Sandbox').warn(
    `The sandbox is off (${reason}), so its emulators are not running, but ${syncs.map((s) => `"${s.name}"`).join(', ')} still use the sandbox connections: their runs will fail. Disable or delete them, or set SYNCLINE_SANDBOX=on.`,
  );
}

/** Starts and seeds the emulators, points the sandbox connections at them, resets the sandbox syncs. */
export async function startSandbox(app: INestApplication, config: AppConfig): Promise<Sandbox> {
  const logger = new Logger('Sandbox');
  const connections = app.get(ConnectionsService);
  connections.allowSandboxConnections();
  const vendors = await startSandboxVendors();
  let activity: { stop(): void } | undefined;
  let text = '';
  try {
    logger.log(`Emulators seeded in ${String(vendors.seedMs)} ms: ${vendors.where()}`);
    for (const input of vendors.connections) {
      const saved = await connections.saveSandboxConnection(input);
      logger.log(
        `Connection "${input.name}" ${saved.created ? 'created' : 'pointed at the new emulator'}`,
      );
    }
    const syncs = app.get(SandboxSyncs);
    const reset = await syncs.reset();
    if (reset.length > 0)
      logger.log(
        `The sandbox resets at each start: forgot the links, cursors, failed records and conflicts of ${reset.map((s) => `"${s.name}"`).join(', ')}`,
      );

    return {
      vendors,
      async ready({ url, config: applied }) {
        const due = await syncs.dueNow();
        if (config.sandboxActivity)
          activity = vendors.startActivity((line) => {
            logger.debug(line);
          });
        logger.log(
          `Sandbox up in ${process.uptime().toFixed(1)} s: emulators ${vendors.where()}; first runs due now: ${due.length === 0 ? 'none' : due.map((sync) => `"${sync.name}"`).join(', ')}`,
        );
        text = summary({
          url,
          vendors,
          applied,
          due: due.map((sync) => sync.name),
          activity: config.sandboxActivity,
          adminKey: app.get(ApiKeysService).adminKeyAtStart,
          createdKey: app.get(ApiKeysService).takeCreatedAdminKey(),
        });
      },
      summary: () => text,
      async close() {
        activity?.stop();
        await vendors.close();
      },
    };
  } catch (error) {
    await vendors.close();
    throw error;
  }
}

/** What `npm start` prints once the sandbox is up: where to look, and how to turn it off. */
function summary(input: {
  url: string;
  vendors: SandboxVendors;
  applied: BootConfigOutcome | undefined;
  due: string[];
  activity: boolean;
  adminKey: ApiKeysService['adminKeyAtStart'];
  /** The admin key created at this start, to show this once. */
  createdKey: string | undefined;
}): string {
  const { vendors } = input;
  const applied = input.applied;
  const syncs =
    applied === undefined
      ? 'none applied (no config/ folder)'
      : 'error' in applied
        ? `not applied from ${applied.dir}: ${applied.error}`
        : `${applied.dir}: ${String(applied.result.created.length)} created, ${String(applied.result.changed.length)} changed, ${String(applied.result.unchanged.length)} unchanged${applied.result.problems.length > 0 ? `, ${String(applied.result.problems.length)} problem(s) (logged above)` : ''}${applied.result.kept.map((kept) => `\n    NOT applied: ${kept.file} (the sync "${kept.name}" was ${kept.reason}; kept as it is, SYNCLINE_CONFIG_FORCE=true overwrites it)`).join('')}`;
  const adminKey = {
    created: `${input.createdKey ?? ''} (created now and shown this once: keep it safe; Authorization: Bearer <key>)`,
    configured: 'the one in SYNCLINE_ADMIN_KEY',
    existing:
      'shown once, at the first start. Lost it? Restart with SYNCLINE_ADMIN_KEY=sl_<10 a-z0-9>_<32+ chars> to register that key as an admin key',
    none: 'see the log above',
  }[input.adminKey ?? 'none'];
  const lines = [
    '',
    `Syncline sandbox up in ${process.uptime().toFixed(1)} s (emulators seeded in ${String(vendors.seedMs)} ms). The sandbox resets at each start.`,
    `  API docs             ${input.url}/api/docs`,
    `  Console              ${input.url}/console/ (sign in with an API key)`,
    ...vendors.lines().map(({ label, text }) => `  ${label.padEnd(20)} ${text}`),
    `  Connections          ${vendors.connections.map((connection) => `"${connection.name}"`).join(', ')}`,
    `  Syncs                ${syncs}`,
    `  First runs           ${input.due.length === 0 ? 'none scheduled' : `${input.due.map((name) => `"${name}"`).join(', ')}, at the next schedule tick`}`,
    `  Activity             ${input.activity ? `a few random edits in the emulators every ${String(vendors.activityIntervalMs / 1000)} s (SYNCLINE_SANDBOX_ACTIVITY=off stops them)` : 'off'}`,
    `  Admin key            ${adminKey}`,
    '  SYNCLINE_SANDBOX=off turns the sandbox off (so does a real connection, from the next start).',
    '',
  ];
  return `${lines.join('\n')}\n`;
}
