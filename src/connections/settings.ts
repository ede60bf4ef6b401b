/**
 * Connection settings and secrets checked against the connector's declaration, and the rule that
 * keeps the API from reaching arbitrary hosts: URLs are https on the vendor's domains, except for
 * sandbox connections (when allowed) to a loopback emulator.
 */
import { isIP } from 'node:net';
import type { ConnectorDefinition, SettingDescriptor } from '../../connectors/sdk/contract';
import type { ApiErrorDetail } from '../common/api-error';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function isLoopback(hostname: string): boolean {
  if (LOOPBACK_NAMES.has(hostname)) return true;
  return isIP(hostname) === 4 && hostname.startsWith('127.');
}

const INSTANCE = '{instance}.';
/** An instance label: letters, then digits, maybe one more letter (na123, cs42, usa3s). */
const INSTANCE_LABEL = /^[a-z]{2,5}\d{1,4}[a-z]?$/;

function hostAllowed(hostname: string, allowed: readonly string[]): boolean {
  return allowed.some((pattern) => {
    if (pattern.startsWith('*.'))
      return hostname.endsWith(pattern.slice(1)) && hostname.length > pattern.length - 1;
    if (pattern.startsWith(INSTANCE)) {
      const dot = hostname.indexOf('.');
      return (
        dot > 0 &&
        INSTANCE_LABEL.test(hostname.slice(0, dot)) &&
        hostname.slice(dot + 1) === pattern.slice(INSTANCE.length)
      );
    }
    return hostname === pattern;
  });
}

function checkUrl(
  value: string,
  path: string,
  definition: ConnectorDefinition,
  sandbox: boolean,
): ApiErrorDetail | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { path, problem: 'must be an absolute URL' };
  }
  if (url.username !== '' || url.password !== '')
    return { path, problem: 'must not carry credentials' };
  const hostname = url.hostname.toLowerCase();
  if (sandbox) {
    if (!isLoopback(hostname))
      return {
        path,
        problem:
          'a sandbox connection may only point at a loopback address (127.0.0.1, localhost, ::1)',
      };
    return url.protocol === 'http:' || url.protocol === 'https:'
      ? undefined
      : { path, problem: 'must be http or https' };
  }
  if (url.protocol !== 'https:') return { path, problem: 'must use https' };
  const allowed = definition.allowedHosts ?? [];
  if (!hostAllowed(hostname, allowed)) {
    return {
      path,
      problem:
        allowed.length === 0
          ? `${definition.kind} connections take no URL outside a sandbox`
          : `must be on ${allowed.join(', ')}`,
    };
  }
  return undefined;
}

function checkType(descriptor: SettingDescriptor, value: unknown): string | undefined {
  switch (descriptor.type) {
    case 'string':
    case 'url':
      return typeof value === 'string' && value.trim() !== ''
        ? undefined
        : 'must be a non-empty string';
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      return descriptor.minimum !== undefined && value < descriptor.minimum
        ? `must be at least ${descriptor.minimum}`
        : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    default: {
      const unreachable: never = descriptor.type;
      return unreachable;
    }
  }
}

/** Every problem with `settings` for this connector, by path (`settings.baseUrl`). */
export function checkSettings(
  definition: ConnectorDefinition,
  settings: Record<string, unknown>,
  sandbox: boolean,
): ApiErrorDetail[] {
  const problems: ApiErrorDetail[] = [];
  const known = new Map(definition.settings.map((descriptor) => [descriptor.name, descriptor]));
  for (const name of Object.keys(settings)) {
    if (!known.has(name))
      problems.push({
        path: `settings.${name}`,
        problem: `is not a setting of ${definition.kind} connections`,
      });
  }
  for (const descriptor of definition.settings) {
    const path = `settings.${descriptor.name}`;
    const value = settings[descriptor.name];
    if (value === undefined || value === null) {
      if (descriptor.required && descriptor.default === undefined)
        problems.push({ path, problem: 'is required' });
      continue;
    }
    const typeProblem = checkType(descriptor, value);
    if (typeProblem !== undefined) {
      problems.push({ path, problem: typeProblem });
      continue;
    }
    if (descriptor.type === 'url' && typeof value === 'string') {
      const urlProblem = checkUrl(value, path, definition, sandbox);
      if (urlProblem !== undefined) problems.push(urlProblem);
    }
  }
  return problems;
}

/** Every problem with the secret names and values given. */
export function checkSecrets(
  definition: ConnectorDefinition,
  secrets: Record<string, unknown>,
): ApiErrorDetail[] {
  const problems: ApiErrorDetail[] = [];
  for (const [name, value] of Object.entries(secrets)) {
    const path = `secrets.${name}`;
    if (!definition.secrets.includes(name)) {
      problems.push({
        path,
        problem: `is not a secret of ${definition.kind} connections (known: ${definition.secrets.join(', ') || 'none'})`,
      });
    } else if (value !== null && (typeof value !== 'string' || value === '')) {
      problems.push({ path, problem: 'must be a non-empty string, or null to remove it' });
    }
  }
  return problems;
}
