import {
  BadRequestException,
  Injectable,
  type ArgumentMetadata,
  type PipeTransform,
} from '@nestjs/common';
import { apiError } from './api-error';

/** Deepest nesting of objects and arrays a request may send (a sync definition needs about 8). */
export const MAX_INPUT_DEPTH = 64;

/** A lone UTF-16 surrogate: no UTF-8 form, so Postgres refuses it (and JSON in it). */
const LONE_SURROGATE = /\p{Cs}/u;

export interface InputProblem {
  path: string;
  problem: string;
}

function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

function textProblem(text: string, what: string): string | undefined {
  if (text.includes('\u0000')) return `${what} contains a NUL character (\\u0000)`;
  if (LONE_SURROGATE.test(text))
    return `${what} contains a lone UTF-16 surrogate, which is not text`;
  return undefined;
}

/**
 * The first part of a request no database could keep: a NUL character or a lone surrogate in a
 * string or a key, or nesting deeper than MAX_INPUT_DEPTH. Walks without recursion, so a body
 * nested thousands deep is measured rather than overflowing the stack.
 */
export function findUnstorableInput(value: unknown, root = ''): InputProblem | undefined {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [
    { value, path: root, depth: 0 },
  ];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value: item, path, depth } = next;
    if (typeof item === 'string') {
      const problem = textProblem(item, 'the value');
      if (problem !== undefined) return { path, problem };
      continue;
    }
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= MAX_INPUT_DEPTH)
      return { path, problem: `is nested deeper than ${MAX_INPUT_DEPTH} levels` };
    if (Array.isArray(item)) {
      item.forEach((element, index) =>
        stack.push({ value: element, path: childPath(path, index), depth: depth + 1 }),
      );
      continue;
    }
    for (const [key, element] of Object.entries(item)) {
      const keyProblem = textProblem(key, 'the name');
      if (keyProblem !== undefined) return { path: childPath(path, key), problem: keyProblem };
      stack.push({ value: element, path: childPath(path, key), depth: depth + 1 });
    }
  }
  return undefined;
}

/**
 * Runs before validation on every body, query and path parameter: a NUL, a lone surrogate or a
 * body nested thousands deep is a 400 naming the field, rather than a 500 from Postgres or a
 * stack overflow in the validator.
 */
@Injectable()
export class StorableInputPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const found = findUnstorableInput(value, metadata.data ?? '');
    if (found === undefined) return value;
    throw new BadRequestException(
      apiError('validation_failed', 'The request is invalid', [
        { path: found.path === '' ? metadata.type : found.path, problem: found.problem },
      ]),
    );
  }
}
