/**
 * Rate-limit and budget headers vendors send back, read into VendorBudgets so the rate limiter and
 * the admin's budget view follow the vendor's own count. Which headers a vendor sends is declared
 * with each rate limit of its connector (`reported`); nothing here knows a vendor.
 */
import type { BudgetReport, ConnectorLimits } from './contract';
import type { VendorBudget } from './rate-limiter';

/** A reported budget with the name and window of the limit it keeps in step. */
export type BudgetHeader = BudgetReport & { budget: string; windowMs?: number };

/** The budgets a connector's limits say the vendor reports, plain or of a family of endpoints. */
export function reportedBudgets(
  limits: Pick<ConnectorLimits, 'rateLimits' | 'familyLimits'>,
): BudgetHeader[] {
  const all = [...limits.rateLimits, ...Object.values(limits.familyLimits ?? {})];
  return all.flatMap(({ name, windowMs, reported }) =>
    reported === undefined ? [] : [{ ...reported, budget: name, windowMs }],
  );
}

function integer(headers: Headers, name: string | undefined): number | undefined {
  if (name === undefined) return undefined;
  const raw = headers.get(name);
  if (raw === null || raw.trim() === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

function figures(
  headers: Headers,
  spec: BudgetHeader,
): { limit: number; remaining: number } | undefined {
  if ('usage' in spec) {
    const match = spec.usage.exec(headers.get(spec.header) ?? '');
    if (match === null) return undefined;
    const used = Number(match[1]);
    const limit = Number(match[2]);
    return { limit, remaining: Math.max(0, limit - used) };
  }
  const limit = integer(headers, spec.limit);
  const remaining = integer(headers, spec.remaining);
  return limit === undefined || remaining === undefined ? undefined : { limit, remaining };
}

/** Every budget the response's headers describe, by the connector's declaration. */
export function parseVendorBudgets(
  headers: Headers,
  now: Date,
  specs: readonly BudgetHeader[],
): VendorBudget[] {
  const observedAt = now.toISOString();
  const budgets: VendorBudget[] = [];
  for (const spec of specs) {
    const found = figures(headers, spec);
    if (found === undefined) continue;
    const windowMs =
      ('windowHeader' in spec ? integer(headers, spec.windowHeader) : undefined) ?? spec.windowMs;
    budgets.push(
      windowMs === undefined
        ? { name: spec.budget, ...found, observedAt }
        : { name: spec.budget, ...found, windowMs, observedAt },
    );
  }
  return budgets;
}

/**
 * Retry-After as milliseconds: delta-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined when
 * absent or unreadable. A date in the past means "now".
 */
export function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now.getTime());
}
