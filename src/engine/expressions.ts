/**
 * JSONata evaluated within bounds, so that no mapping expression can block the process or
 * exhaust its memory (issue 24: an editor's `$f := function($x){ $f($x) }` hung every replica).
 * JSONata's own guardrails bound time (D1012), depth (D1011) and sequence length (D2015); an exit
 * hook bounds the size of every intermediate string and array; an entry hook hands the event loop
 * back every few milliseconds, so health checks, other runs and signals go on during a long
 * evaluation (JSONata's steps are promises: without it, one evaluation holds the loop until it
 * ends). A bound reached is a TransformError naming the step and the bound.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import jsonata from 'jsonata';
import { TransformError } from './format';

export interface ExpressionBounds {
  /** Wall time of one evaluation, waits for the event loop included. */
  timeoutMs: number;
  /** Nesting of evaluation steps (recursion). */
  depth: number;
  /** Items in any sequence. */
  sequence: number;
  /** Characters of any string, and items of any array, an evaluation step produces. */
  size: number;
}

export const DEFAULT_EXPRESSION_BOUNDS: ExpressionBounds = {
  timeoutMs: 1_000,
  depth: 500,
  sequence: 100_000,
  size: 1_000_000,
};

let bounds: ExpressionBounds = DEFAULT_EXPRESSION_BOUNDS;

/** Sets the bounds for expressions compiled from now on (SYNCLINE_EXPRESSION_TIMEOUT_MS). */
export function setExpressionBounds(next: Partial<ExpressionBounds>): void {
  bounds = { ...DEFAULT_EXPRESSION_BOUNDS, ...next };
}

export function expressionBounds(): ExpressionBounds {
  return bounds;
}

/** How often an evaluation hands the event loop back. */
const YIELD_EVERY_MS = 20;

/** JSONata's errors are plain objects: `message (at position N) [code]`. */
export function jsonataMessage(error: unknown): string {
  if (error instanceof Error && !('code' in error)) return error.message;
  if (typeof error !== 'object' || error === null) return String(error);
  const { message, position, code } = error as {
    message?: unknown;
    position?: unknown;
    code?: unknown;
  };
  const text = typeof message === 'string' ? message : 'error';
  const at = typeof position === 'number' ? ` (at position ${String(position)})` : '';
  const tag = typeof code === 'string' ? ` [${code}]` : '';
  return `${text}${at}${tag}`;
}

/** Our bound on the size of values, coded as JSONata codes its own errors. */
class SizeBoundError extends Error {
  readonly code = 'SIZE';
}

/** Codes of JSONata's guardrails, and ours. */
const BOUND_CODES = new Set(['D1011', 'D1012', 'D2014', 'D2015', 'SIZE']);

export function isBoundError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    BOUND_CODES.has(String((error as { code?: unknown }).code))
  );
}

export interface BoundedExpression {
  /** Evaluates against `input`; throws JSONata's error object (see jsonataMessage). */
  evaluate(input: unknown): Promise<unknown>;
}

/** Parses (throws JSONata's error when it does not parse) and arms the bounds. */
export function compileBounded(expression: string): BoundedExpression {
  const limits = bounds;
  const compiled = jsonata(expression, {
    timeout: limits.timeoutMs,
    stack: limits.depth,
    sequence: limits.sequence,
  });
  let lastYield = performance.now();
  // Hooks JSONata looks up in the expression's environment by these symbols.
  const assign = compiled.assign.bind(compiled) as unknown as (
    name: symbol,
    value: unknown,
  ) => void;
  assign(Symbol.for('jsonata.__evaluate_entry'), async () => {
    if (performance.now() - lastYield < YIELD_EVERY_MS) return;
    await yieldToEventLoop();
    lastYield = performance.now();
  });
  assign(
    Symbol.for('jsonata.__evaluate_exit'),
    (_node: unknown, _input: unknown, _environment: unknown, result: unknown) => {
      const size =
        typeof result === 'string' ? result.length : Array.isArray(result) ? result.length : 0;
      if (size > limits.size)
        throw new SizeBoundError(
          `A value of ${String(size)} characters or items passed the bound of ${String(limits.size)}`,
        );
    },
  );
  return {
    evaluate: (input) => {
      lastYield = performance.now();
      return compiled.evaluate(input);
    },
  };
}

/** What a step's bound error says, naming the step. */
export function boundedFailure(step: string, error: unknown): TransformError {
  return new TransformError(`${step}: JSONata ${jsonataMessage(error)}`);
}

/** A record for the check on save: every field the expression might read is simply absent. */
const SAMPLE_INPUT = { value: 'sample', record: {} };

/**
 * Evaluates an expression once on a sample record under the bounds; the bound error's message
 * when it passes them (whatever else goes wrong on sample data is no concern here).
 */
export async function sampleBoundProblem(expression: string): Promise<string | undefined> {
  let bounded: BoundedExpression;
  try {
    bounded = compileBounded(expression);
  } catch {
    return undefined; // does not parse: validateSyncDefinition says so
  }
  try {
    await bounded.evaluate(SAMPLE_INPUT);
  } catch (error) {
    if (isBoundError(error)) return jsonataMessage(error);
  }
  return undefined;
}
