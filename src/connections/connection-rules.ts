/** The connections API's rules that need no database: who may set credentials or move them. */
import { BadRequestException, ForbiddenException } from '@nestjs/common';
import type { ConnectorDefinition } from '../../connectors/sdk/contract';
import type { Caller } from '../auth/api-keys.service';
import { can } from '../auth/roles';
import { apiError, type ApiErrorDetail } from '../common/api-error';
import type { ConnectionEntity } from '../persistence/connection.entity';
import type { UpdateConnectionDto } from './connections.dto';

/** `current` with `changes` applied: a null removes the entry. */
export function applyChanges<T>(
  current: Record<string, T>,
  changes: Record<string, T | null>,
): Record<string, T> {
  const merged = new Map(Object.entries(current));
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) merged.delete(name);
    else merged.set(name, value);
  }
  return Object.fromEntries(merged);
}

export function invalid(details: ApiErrorDetail[]): BadRequestException {
  return new BadRequestException(apiError('validation_failed', 'The request is invalid', details));
}

export function checkCredentialsAllowed(caller: Caller, secrets: object | undefined): void {
  if (
    secrets !== undefined &&
    Object.keys(secrets).length > 0 &&
    !can(caller.role, 'credentials:write')
  ) {
    throw new ForbiddenException(
      apiError(
        'forbidden',
        `The ${caller.role} role may not set credentials (it needs the credentials:write permission).`,
        [{ path: 'secrets', problem: 'only admins set credentials' }],
      ),
    );
  }
}

/**
 * Where a connection sends its credentials (its URL settings, and whether it is a sandbox one)
 * is part of the credentials: while it holds any, changing it needs the role that may write
 * them; a real connection never becomes a sandbox one (create a sandbox connection instead).
 * Returns the URL settings that change, old and new, for the audit log.
 */
export function checkRedirection(
  caller: Caller,
  entity: ConnectionEntity,
  definition: ConnectorDefinition,
  input: UpdateConnectionDto,
  settings: Record<string, unknown>,
): Record<string, { from: unknown; to: unknown }> {
  if (input.sandbox === true && !entity.sandbox) {
    throw invalid([
      {
        path: 'sandbox',
        problem:
          'a real connection cannot become a sandbox connection; create a sandbox connection instead',
      },
    ]);
  }
  const urls: Record<string, { from: unknown; to: unknown }> = {};
  for (const setting of definition.settings) {
    if (setting.type !== 'url') continue;
    const from = entity.settings[setting.name] ?? null;
    const to = settings[setting.name] ?? null;
    if (from !== to) urls[setting.name] = { from, to };
  }
  const moved = Object.keys(urls);
  const sandboxChanged = input.sandbox !== undefined && input.sandbox !== entity.sandbox;
  if (
    (moved.length > 0 || sandboxChanged) &&
    entity.secrets !== null &&
    !can(caller.role, 'credentials:write')
  ) {
    const path = moved.length > 0 ? `settings.${moved[0] ?? ''}` : 'sandbox';
    throw new ForbiddenException(
      apiError(
        'forbidden',
        `The ${caller.role} role may not change where this connection sends its credentials (it needs the credentials:write permission).`,
        [{ path, problem: 'changing where stored credentials go needs an admin' }],
      ),
    );
  }
  return urls;
}
