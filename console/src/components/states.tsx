/** The empty, loading and error states every view shows the same way. */
import type { ReactNode } from 'react';
import { ApiError } from '../api';

export function Loading(props: { what: string }): ReactNode {
  return (
    <p className="state state-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      Loading {props.what}…
    </p>
  );
}

export function Empty(props: { children: ReactNode }): ReactNode {
  return <div className="state state-empty">{props.children}</div>;
}

/** What went wrong, in the reader's words. */
export function describeError(error: Error): string {
  if (!(error instanceof ApiError)) return `Something went wrong in the console: ${error.message}`;
  switch (error.status) {
    case 0:
      return error.message;
    case 403:
      return `This key may not see this: ${error.message}`;
    case 404:
      return `Not found: ${error.message}`;
    case 429:
      return `Too many requests for this key; try again in a minute. (${error.message})`;
    default:
      return error.message;
  }
}

/** Trying again helps with a hiccup, not with a missing or forbidden thing. */
function retryable(error: Error): boolean {
  return !(error instanceof ApiError && [403, 404].includes(error.status));
}

export function ErrorState(props: { error: Error; onRetry?: () => void }): ReactNode {
  return (
    <div className="state state-error" role="alert">
      <p>{describeError(props.error)}</p>
      {props.onRetry !== undefined && retryable(props.error) && (
        <button type="button" onClick={props.onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** A problem shown where it arose, read out when it appears; nothing without one. */
export function InlineError(props: { problem: string | undefined }): ReactNode {
  if (props.problem === undefined) return null;
  return (
    <p className="inline-error" role="alert">
      {props.problem}
    </p>
  );
}

/** The API's refusal, with the problems no field of the form shows. */
export function FormError(props: { error: Error | undefined; shown: Set<string> }): ReactNode {
  const { error } = props;
  if (error === undefined) return null;
  const elsewhere =
    error instanceof ApiError
      ? error.details.filter((detail) => !props.shown.has(detail.path))
      : [];
  return (
    <div className="state state-error" role="alert">
      <p>{error.message}</p>
      {elsewhere.length > 0 && (
        <ul>
          {elsewhere.map((detail) => (
            <li key={detail.path}>
              <code>{detail.path}</code> {detail.problem}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
