/**
 * The fault soak's messages to an emulator host (emulator-host.ts), and the soak's side of them:
 * fork a host, wait for its URL, call it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export type VendorKind = 'hubspot' | 'salesforce';

/** A person as the soak sees one, whatever the vendor calls the fields. */
export const PERSON_FIELDS = ['email', 'first', 'last', 'title'] as const;
export type Person = Record<(typeof PERSON_FIELDS)[number], string>;

export type HostRequest =
  | { op: 'create'; people: Person[] }
  | { op: 'edit'; edits: Array<{ id: string; change: Partial<Person> }> }
  | { op: 'people' }
  | { op: 'chaos'; rate: number }
  | { op: 'stats' };

export interface HostStats {
  /** Random faults injected so far, by kind. */
  injected: Record<string, number>;
  /** Records the soak made itself; every other record came through the vendor's API. */
  madeHere: number;
  records: number;
}

export interface HostAnswers {
  create: number;
  edit: number;
  people: Array<Person & { id: string }>;
  chaos: null;
  stats: HostStats;
}

export interface HostReady {
  ready: true;
  url: string;
  accessToken?: string;
  auth?: { refreshToken: string; clientId: string; clientSecret: string };
}

export function isHostRequest(message: unknown): message is { id: number; body: HostRequest } {
  return (
    typeof message === 'object' &&
    message !== null &&
    'id' in message &&
    typeof message.id === 'number' &&
    'body' in message
  );
}

type HostAnswer =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

function isHostAnswer(message: unknown): message is HostAnswer {
  return typeof message === 'object' && message !== null && 'id' in message && 'ok' in message;
}

function isReady(message: unknown): message is HostReady {
  return typeof message === 'object' && message !== null && 'ready' in message;
}

export interface EmulatorHost {
  kind: VendorKind;
  ready: HostReady;
  call<K extends HostRequest['op']>(
    request: Extract<HostRequest, { op: K }>,
  ): Promise<HostAnswers[K]>;
  stop(): Promise<void>;
}

/** Forks the compiled host (`dist/bench/soak/emulator-host.js`, beside this file once built). */
export async function startEmulatorHost(kind: VendorKind): Promise<EmulatorHost> {
  const child: ChildProcess = fork(join(__dirname, 'emulator-host.js'), [kind], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let sequence = 0;
  const ready = await new Promise<HostReady>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      reject(new Error(`the ${kind} emulator host exited (${String(code)}) before it was ready`));
    });
    child.on('message', (message: unknown) => {
      if (isReady(message)) {
        resolve(message);
        return;
      }
      if (!isHostAnswer(message)) return;
      const waiting = pending.get(message.id);
      pending.delete(message.id);
      if (message.ok) waiting?.resolve(message.value);
      else waiting?.reject(new Error(`${kind} emulator host: ${message.error}`));
    });
  });
  child.removeAllListeners('exit');
  child.on('exit', () => {
    for (const waiting of pending.values())
      waiting.reject(new Error(`the ${kind} emulator host exited`));
    pending.clear();
  });
  return {
    kind,
    ready,
    call: (request) =>
      new Promise((resolve, reject) => {
        sequence += 1;
        pending.set(sequence, { resolve, reject });
        child.send({ id: sequence, body: request });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => {
          resolve();
        });
        child.disconnect();
      }),
  };
}
