/**
 * A connection's form, generated from its connector's settings schema (GET /connectors): name,
 * sandbox, each setting with its type, default and description, and the secrets of one of the
 * connector's credential sets, entered once (password fields, never shown again). Where the vendor
 * has an OAuth page, that set asks only for the app's client id and secret, and the form's button
 * sends the browser to the vendor instead of creating the connection.
 */
import { useState, type ReactNode, type SubmitEvent } from 'react';
import { ApiError } from '../api';
import type { Connection, ConnectorKind, SettingDescriptor } from '../types';
import { FormError, InlineError } from './states';

export interface ConnectionDraft {
  name: string;
  kind: string;
  sandbox: boolean;
  settings: Record<string, string | number | boolean>;
  secrets: Record<string, string>;
}

/** `accessToken` → "Access token", `clientId` → "Client id". */
export function secretLabel(name: string): string {
  const spaced = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** The ways the connector signs in: its credential sets, or all its secrets when it has none. */
function credentialSets(connector: ConnectorKind): string[][] {
  if (connector.credentials !== undefined && connector.credentials.length > 0)
    return connector.credentials;
  return connector.secrets.length === 0 ? [] : [connector.secrets];
}

function usesOAuth(connector: ConnectorKind, set: string[] | undefined): boolean {
  return connector.oauth !== undefined && set?.includes(connector.oauth.refreshToken) === true;
}

/** The secrets a person types for a set: through OAuth, the app's client id and secret only. */
function enteredSecrets(connector: ConnectorKind, set: string[], oauth: boolean): string[] {
  const grant = connector.oauth;
  if (!oauth || grant === undefined) return set;
  return [grant.clientId, grant.clientSecret];
}

function oauthFirst(connector: ConnectorKind, sets: string[][]): number {
  return Math.max(
    0,
    sets.findIndex((set) => usesOAuth(connector, set)),
  );
}

function setLabel(connector: ConnectorKind, set: string[]): string {
  if (usesOAuth(connector, set)) return `Connect with ${connector.vendor} (OAuth)`;
  return set.map(secretLabel).join(' + ');
}

/** The value a field's text stands for, by the setting's type (the API checks it again). */
function settingValue(descriptor: SettingDescriptor, text: string): string | number {
  if (descriptor.type !== 'number') return text.trim();
  const number = Number(text);
  return text.trim() === '' || Number.isNaN(number) ? text : number;
}

interface FormState {
  settings: Record<string, string>;
  flags: Record<string, boolean>;
  secrets: Record<string, string>;
}

/** The draft the form's fields stand for: typed settings, the chosen set's secrets only. */
function draftOf(
  connector: ConnectorKind,
  head: { name: string; sandbox: boolean },
  state: FormState,
  entered: string[],
): ConnectionDraft {
  const draft: ConnectionDraft = {
    name: head.name.trim(),
    kind: connector.kind,
    sandbox: head.sandbox,
    settings: {},
    secrets: {},
  };
  for (const descriptor of connector.settings) {
    if (descriptor.type === 'boolean') {
      if (Object.hasOwn(state.flags, descriptor.name))
        draft.settings[descriptor.name] = state.flags[descriptor.name];
      continue;
    }
    const text = state.settings[descriptor.name] ?? '';
    if (text.trim() !== '') draft.settings[descriptor.name] = settingValue(descriptor, text);
  }
  for (const secret of entered) {
    const value = state.secrets[secret] ?? '';
    if (value !== '') draft.secrets[secret] = value;
  }
  return draft;
}

type Problem = (path: string) => string | undefined;

/** The sandbox connection's addresses (the emulators'), for the URL settings not typed yet. */
function sandboxUrls(
  connector: ConnectorKind,
  from: Connection,
  typed: Record<string, string>,
): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const descriptor of connector.settings) {
    const value = from.settings[descriptor.name];
    if (descriptor.type === 'url' && typeof value === 'string' && !typed[descriptor.name])
      urls[descriptor.name] = value;
  }
  return urls;
}

export function ConnectionForm(props: {
  connector: ConnectorKind;
  /** Sandbox connections of this kind, whose URLs a sandbox connection can start from. */
  sandboxes: Connection[];
  busy: boolean;
  error: Error | undefined;
  onSubmit: (draft: ConnectionDraft, oauth: boolean) => void;
}): ReactNode {
  const { connector, error } = props;
  const sets = credentialSets(connector);
  const [name, setName] = useState(
    connector.label === connector.vendor
      ? connector.vendor
      : `${connector.vendor} (${connector.label})`,
  );
  const [sandbox, setSandbox] = useState(false);
  const [state, setState] = useState<FormState>({ settings: {}, flags: {}, secrets: {} });
  // OAuth first where the vendor has it: no token to copy by hand.
  const [setIndex, setSetIndex] = useState(() => oauthFirst(connector, sets));
  const chosen = sets.at(setIndex) ?? [];
  const oauth = usesOAuth(connector, chosen);
  const entered = enteredSecrets(connector, chosen, oauth);
  const problem: Problem = (path) => (error instanceof ApiError ? error.detail(path) : undefined);
  const shown = new Set([
    'name',
    'sandbox',
    ...connector.settings.map((s) => `settings.${s.name}`),
    ...entered.map((s) => `secrets.${s}`),
  ]);
  const from = props.sandboxes.at(0);

  function chooseSandbox(on: boolean): void {
    setSandbox(on);
    if (on && from !== undefined)
      setState((current) => ({
        ...current,
        settings: { ...current.settings, ...sandboxUrls(connector, from, current.settings) },
      }));
  }

  function submit(event: SubmitEvent<HTMLFormElement>): void {
    event.preventDefault();
    props.onSubmit(draftOf(connector, { name, sandbox }, state, entered), oauth);
  }

  return (
    <form
      className="editor-form"
      onSubmit={submit}
      aria-label={`New ${connector.label} connection`}
      noValidate
    >
      <div className="field">
        <label htmlFor="connection-name">Name</label>
        <input
          id="connection-name"
          value={name}
          required
          onChange={(e) => {
            setName(e.target.value);
          }}
        />
        <InlineError problem={problem('name')} />
      </div>
      <SandboxField
        sandbox={sandbox}
        from={from}
        onChange={chooseSandbox}
        problem={problem('sandbox')}
      />
      <SettingsFieldset connector={connector} state={state} onChange={setState} problem={problem} />
      <CredentialsFieldset
        connector={connector}
        sets={sets}
        chosen={setIndex}
        onChoose={setSetIndex}
        entered={entered}
        oauth={oauth}
        state={state}
        onChange={setState}
        problem={problem}
      />
      <FormError error={error} shown={shown} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={props.busy}>
          {props.busy
            ? 'Working…'
            : oauth
              ? `Connect with ${connector.vendor}`
              : 'Create connection'}
        </button>
      </div>
    </form>
  );
}

/** The connector's settings, each as its type asks: text, URL, number or checkbox. */
function SettingsFieldset(props: {
  connector: ConnectorKind;
  state: FormState;
  onChange: (update: (current: FormState) => FormState) => void;
  problem: Problem;
}): ReactNode {
  const { connector, state, onChange } = props;
  return (
    <fieldset>
      <legend>Settings</legend>
      {connector.settings.length === 0 && <p className="muted">This connector has no settings.</p>}
      {connector.settings.map((descriptor) => {
        const id = `connection-setting-${descriptor.name}`;
        return (
          <div className="field" key={descriptor.name}>
            {descriptor.type === 'boolean' ? (
              <label>
                <input
                  type="checkbox"
                  checked={state.flags[descriptor.name] ?? descriptor.default === true}
                  onChange={(e) => {
                    const checked = e.target.checked;
                    onChange((current) => ({
                      ...current,
                      flags: { ...current.flags, [descriptor.name]: checked },
                    }));
                  }}
                />{' '}
                {descriptor.label}
              </label>
            ) : (
              <>
                <label htmlFor={id}>
                  {descriptor.label}
                  {descriptor.required ? ' (required)' : ''}
                </label>
                <input
                  id={id}
                  type={
                    descriptor.type === 'number'
                      ? 'number'
                      : descriptor.type === 'url'
                        ? 'url'
                        : 'text'
                  }
                  placeholder={
                    descriptor.default === undefined ? undefined : String(descriptor.default)
                  }
                  value={state.settings[descriptor.name] ?? ''}
                  onChange={(e) => {
                    const value = e.target.value;
                    onChange((current) => ({
                      ...current,
                      settings: { ...current.settings, [descriptor.name]: value },
                    }));
                  }}
                />
              </>
            )}
            {descriptor.description !== undefined && (
              <p className="hint">{descriptor.description}</p>
            )}
            <InlineError problem={props.problem(`settings.${descriptor.name}`)} />
          </div>
        );
      })}
    </fieldset>
  );
}

/** The connector's credential sets to choose from, and the chosen set's secrets to enter. */
function CredentialsFieldset(props: {
  connector: ConnectorKind;
  sets: string[][];
  chosen: number;
  onChoose: (index: number) => void;
  entered: string[];
  oauth: boolean;
  state: FormState;
  onChange: (update: (current: FormState) => FormState) => void;
  problem: Problem;
}): ReactNode {
  const { connector, sets, state, onChange } = props;
  return (
    <fieldset>
      <legend>How Syncline signs in</legend>
      {sets.length > 1 &&
        sets.map((set, index) => (
          <label key={set.join('+')} className="choice">
            <input
              type="radio"
              name="credentials"
              checked={index === props.chosen}
              onChange={() => {
                props.onChoose(index);
              }}
            />{' '}
            {setLabel(connector, set)}
          </label>
        ))}
      {props.oauth && (
        <p className="hint">
          Enter your {connector.vendor} app&apos;s client id and secret; {connector.vendor}&apos;s
          page then asks you to allow access, and Syncline keeps the refresh token it grants.
          Register <code>{`${window.location.origin}/console/oauth/callback`}</code> as a redirect
          URL of the app.
        </p>
      )}
      {props.entered.map((secret) => (
        <div className="field" key={secret}>
          <label htmlFor={`connection-secret-${secret}`}>{secretLabel(secret)}</label>
          <input
            id={`connection-secret-${secret}`}
            type="password"
            autoComplete="off"
            value={state.secrets[secret] ?? ''}
            onChange={(e) => {
              const value = e.target.value;
              onChange((current) => ({
                ...current,
                secrets: { ...current.secrets, [secret]: value },
              }));
            }}
          />
          <InlineError problem={props.problem(`secrets.${secret}`)} />
        </div>
      ))}
      <p className="hint">
        Secrets are encrypted at rest and never shown again, here or in the API.
      </p>
    </fieldset>
  );
}

function SandboxField(props: {
  sandbox: boolean;
  from: Connection | undefined;
  onChange: (on: boolean) => void;
  problem: string | undefined;
}): ReactNode {
  return (
    <div className="field field-check">
      <label>
        <input
          type="checkbox"
          checked={props.sandbox}
          onChange={(e) => {
            props.onChange(e.target.checked);
          }}
        />{' '}
        Sandbox: points at a local emulator
      </label>
      <p className="hint">
        Its addresses may be on this machine (127.0.0.1).
        {props.from !== undefined && ` Checking it fills them from "${props.from.name}".`}
      </p>
      <InlineError problem={props.problem} />
    </div>
  );
}
