/**
 * Small helpers for the store's hand-written SQL: typed results on pg's client, errors without
 * parameters, and the conversions at the boundary (timestamps as ISO strings, JSON).
 *
 * The store talks to the pg client of a TypeORM query runner directly: TypeORM's own query path
 * logs a failed statement with all its parameters (a whole page of field values, often PII) and
 * wraps errors in a QueryFailedError that carries them too.
 */
import type { PoolClient, QueryResultRow } from 'pg';
import { DatabaseError } from 'pg';
import type { QueryRunner } from 'typeorm';

/** A database error of the store: what an operator needs, never the statement's values. */
export class PersistenceError extends Error {
  override readonly name = 'PersistenceError';

  constructor(
    message: string,
    /** The Postgres SQLSTATE, e.g. `23505` for a unique violation. */
    readonly code: string | undefined,
    /** The constraint that failed, where Postgres names one. */
    readonly constraint: string | undefined,
  ) {
    super(message);
  }
}

export function toPersistenceError(error: unknown, operation: string): unknown {
  if (!(error instanceof DatabaseError)) return error;
  return new PersistenceError(`${operation}: ${error.message}`, error.code, error.constraint);
}

/** The pg client behind a TypeORM query runner (connected on first use). */
export async function clientOf(runner: QueryRunner): Promise<PoolClient> {
  return (await runner.connect()) as PoolClient;
}

export async function selectRows<T extends QueryResultRow>(
  client: PoolClient,
  sql: string,
  parameters: unknown[],
): Promise<T[]> {
  const result = await client.query<T>(sql, parameters);
  return result.rows;
}

/** Runs a statement and returns the number of rows it affected. */
export async function execute(
  client: PoolClient,
  sql: string,
  parameters: unknown[],
): Promise<number> {
  const result = await client.query(sql, parameters);
  return result.rowCount ?? 0;
}

/** Postgres returns timestamptz as Date; the port speaks ISO strings. */
export function isoOrNull(value: Date | null): string | null {
  return value === null ? null : value.toISOString();
}

export function iso(value: Date): string {
  return value.toISOString();
}

/** JSON text for a jsonb parameter; SQL NULL for a null value. */
export function jsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** Whether `error` is a unique index refusing the row (a duplicate, another replica's insert). */
export function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'driverError' in error &&
    (error as { driverError: { code?: string } }).driverError.code === '23505'
  );
}
