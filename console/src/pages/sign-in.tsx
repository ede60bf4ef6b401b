/** Sign-in: an API key, checked against the API before it is kept for this tab. */
import { useId, useState, type ReactNode, type SubmitEvent } from 'react';
import { ApiError, whoAmI } from '../api';
import { describeError } from '../components/states';
import type { Me } from '../types';

export const KEY_NOT_ACCEPTED =
  'This API key was not accepted. Check that you copied all of it (it starts with sl_) and that it has not been revoked.';

export function SignInPage(props: {
  notice: string | undefined;
  onSignedIn: (key: string, me: Me) => void;
}): ReactNode {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const fieldId = useId();
  const hintId = useId();
  const problemId = useId();

  async function submit(event: SubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const trimmed = key.trim();
    if (trimmed === '') {
      setProblem('Enter an API key.');
      return;
    }
    setBusy(true);
    setProblem(undefined);
    try {
      const me = await whoAmI(trimmed);
      props.onSignedIn(trimmed, me);
    } catch (error) {
      setBusy(false);
      if (error instanceof ApiError && error.status === 401) setProblem(KEY_NOT_ACCEPTED);
      else setProblem(describeError(error instanceof Error ? error : new Error(String(error))));
    }
  }

  const message = problem ?? props.notice;
  return (
    <main id="main" className="sign-in" tabIndex={-1}>
      <div className="sign-in-card">
        <p className="brand" aria-hidden="true">
          Syncline
        </p>
        <h1>Sign in to the console</h1>
        <form onSubmit={(event) => void submit(event)} noValidate>
          <label htmlFor={fieldId}>API key</label>
          <input
            id={fieldId}
            name="apiKey"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={key}
            onChange={(event) => {
              setKey(event.target.value);
            }}
            aria-describedby={message === undefined ? hintId : `${problemId} ${hintId}`}
            aria-invalid={problem !== undefined}
            autoFocus
          />
          {message !== undefined && (
            <p id={problemId} className="inline-error" role="alert">
              {message}
            </p>
          )}
          <p id={hintId} className="hint">
            An admin creates keys with <code>POST /api/v1/api-keys</code>; the first start logs an
            admin key. The key stays in this tab&apos;s session storage until you sign out or close
            the tab. What you see depends on the key&apos;s role.
          </p>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Checking…' : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  );
}
