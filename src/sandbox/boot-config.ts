/**
 * Applies a folder of sync definitions at boot (SYNCLINE_CONFIG_DIR, or the repo's config/ in the
 * sandbox) through the server's own REST API, as `syncline apply --yes` would, with an admin key
 * made for the occasion and revoked right after.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiKeysService } from '../auth/api-keys.service';
import { lastSyncChange } from '../persistence/sync-changes';
import { applyConfigDir, type ApplyDirResult } from '../sync-config/apply-dir';

/** The repository's `config/` folder, found from this file (in src/ or in dist/src/). */
export function repoConfigDir(): string | undefined {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')))
      return existsSync(join(dir, 'config')) ? join(dir, 'config') : undefined;
  }
  return undefined;
}

/** The name of the key a boot apply makes: what it changed is the folder's own. */
const BOOT_KEY_NAME = 'boot: apply config (revoked after)';

/**
 * Why the folder must not overwrite this sync: the last change to it was not a boot apply's (an
 * editor's PATCH, `syncline apply`, the console), or undefined when the folder still owns it.
 */
async function changedSinceApply(
  dataSource: DataSource,
  syncId: string,
): Promise<string | undefined> {
  const last = await lastSyncChange(dataSource, syncId);
  if (last === undefined || last.keyName === BOOT_KEY_NAME) return undefined;
  const who =
    last.keyName === null ? 'the server' : `the ${last.keyRole ?? ''} key "${last.keyName}"`;
  return `changed since the last apply (${last.action} by ${who} at ${last.at.toISOString()})`;
}

export type BootConfigOutcome =
  { dir: string; result: ApplyDirResult } | { dir: string; error: string };

/**
 * Applies `dir`; never throws: a folder that does not apply is logged (each problem with its
 * file, line and path) and the server goes on with the syncs it had.
 */
export async function applyBootConfig(
  app: INestApplication,
  options: { dir: string; url: string; force: boolean },
): Promise<BootConfigOutcome> {
  const logger = new Logger('Config');
  const dir = resolve(options.dir);
  const keys = app.get(ApiKeysService);
  const key = await keys.create({ name: BOOT_KEY_NAME, role: 'admin' }, null);
  const dataSource = app.get(DataSource);
  try {
    const result = await applyConfigDir({
      dir,
      url: options.url,
      apiKey: key.key,
      log: (line) => {
        logger.log(line);
      },
      ...(options.force ? {} : { keep: (update) => changedSinceApply(dataSource, update.id) }),
    });
    for (const kept of result.kept)
      logger.warn(
        `${kept.file} not applied: the sync "${kept.name}" was ${kept.reason}, so it is kept as it is. Apply the file with \`syncline apply\`, or start with SYNCLINE_CONFIG_FORCE=true, to overwrite that change.`,
      );
    for (const problem of result.problems) {
      logger.error(
        `${problem.file}${problem.line === undefined ? '' : `:${String(problem.line)}`} ${problem.path}: ${problem.problem}`,
      );
    }
    logger.log(
      `Applied ${dir}: ${String(result.created.length)} sync(s) created, ${String(result.changed.length)} changed, ${String(result.unchanged.length)} unchanged${result.kept.length > 0 ? `, ${String(result.kept.length)} kept as changed since the last apply` : ''}${result.problems.length > 0 ? `, ${String(result.problems.length)} problem(s)` : ''}`,
    );
    return { dir, result };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.error(`Could not apply the sync definitions in ${dir}: ${message}`);
    return { dir, error: message };
  } finally {
    await keys.revoke(key.id, { keyId: key.id });
  }
}
