/**
 * API key roles and what each may do. One table, so the guard, the docs and the console agree.
 */
export const ROLES = ['admin', 'editor', 'viewer', 'service'] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  /** Read connections, syncs, mappings, runs, logs, conflicts, metrics. */
  | 'read'
  /** Read runs and their record events (what a service calling the API needs). */
  | 'runs:read'
  /** Trigger and cancel runs. */
  | 'runs:trigger'
  /** Create, change and delete connections, syncs and mappings; retry records; resolve conflicts. */
  | 'config:write'
  /** Set connection credentials. */
  | 'credentials:write'
  /** Create, list and revoke API keys. */
  | 'keys:manage';

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ['read', 'runs:read', 'runs:trigger', 'config:write', 'credentials:write', 'keys:manage'],
  editor: ['read', 'runs:read', 'runs:trigger', 'config:write'],
  viewer: ['read', 'runs:read'],
  service: ['runs:read', 'runs:trigger'],
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

/** What a role may do, in the order of the table above. */
export function permissionsOf(role: Role): readonly Permission[] {
  return GRANTS[role];
}

/** Every permission: admins have them all. */
export const PERMISSIONS: readonly Permission[] = GRANTS.admin;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
