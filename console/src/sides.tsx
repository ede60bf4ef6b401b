/**
 * A sync's two sides as people call them: by their vendors ("HubSpot", "Salesforce") when the
 * vendors differ, by their connections' names when they do not (two HubSpot portals), and "Left"
 * and "Right" only when neither tells them apart; with each side's links into the vendor's UI.
 * The syncs and connections are read once a session (again when a sync is not known yet).
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { recordUrl } from '../../connectors/sdk/record-links';
import { getAll } from './api';
import { useSession } from './session';
import type { Connection, RecordLinks, Sync } from './types';

export type SideName = 'left' | 'right';

export interface SideInfo {
  /** "HubSpot", a connection's name, or "Left" / "Right". */
  name: string;
  /** The vendor's name, for "Open in HubSpot" (the side's name when it is not known). */
  vendor: string;
  object: string;
  links: RecordLinks | null;
}

export type SyncSides = Record<SideName, SideInfo>;

export const UNKNOWN_SIDES: SyncSides = {
  left: { name: 'Left', vendor: 'Left', object: '', links: null },
  right: { name: 'Right', vendor: 'Right', object: '', links: null },
};

export function sidesOf(
  sync: Pick<Sync, 'left' | 'right'>,
  connections: ReadonlyMap<string, Connection>,
): SyncSides {
  const left = connections.get(sync.left.connectionId);
  const right = connections.get(sync.right.connectionId);
  const names =
    left !== undefined && right !== undefined && left.vendor !== right.vendor
      ? { left: left.vendor, right: right.vendor }
      : left !== undefined && right !== undefined && left.name !== right.name
        ? { left: left.name, right: right.name }
        : { left: 'Left', right: 'Right' };
  const side = (name: SideName, connection: Connection | undefined): SideInfo => ({
    name: names[name],
    vendor: connection?.vendor ?? names[name],
    object: sync[name].object,
    links: connection?.recordLinks ?? null,
  });
  return { left: side('left', left), right: side('right', right) };
}

/** A policy or side in words, the sides by their names: `left_wins` → "HubSpot wins". */
export function sideWords(value: string, sides: SyncSides): string {
  return value
    .split('_')
    .map((word) => (word === 'left' ? sides.left.name : word === 'right' ? sides.right.name : word))
    .join(' ');
}

interface SidesDirectory {
  get(syncId: string): SyncSides | undefined;
  /** Asks again (a sync created since): at most once per unknown sync. */
  miss(syncId: string): void;
}

const SidesContext = createContext<SidesDirectory>({
  get: () => undefined,
  miss: () => undefined,
});

export function SidesProvider(props: { children: ReactNode }): ReactNode {
  const { api, can } = useSession();
  const readable = can('read');
  // Undefined until the first answer: a sync missing from it is not asked for again before.
  const [directory, setDirectory] = useState<ReadonlyMap<string, SyncSides> | undefined>();
  const [generation, setGeneration] = useState(0);
  const missed = useRef(new Set<string>());

  useEffect(() => {
    if (!readable) return;
    const controller = new AbortController();
    void Promise.all([
      getAll<Sync>(api, '/syncs', controller.signal),
      getAll<Connection>(api, '/connections', controller.signal),
    ])
      .then(([syncs, connections]) => {
        const byId = new Map(connections.map((connection) => [connection.id, connection]));
        setDirectory(new Map(syncs.map((sync) => [sync.id, sidesOf(sync, byId)])));
      })
      // Names are a nicety: without them the sides read Left and Right.
      .catch(() => undefined);
    return () => {
      controller.abort();
    };
  }, [api, readable, generation]);

  const loaded = directory !== undefined;
  const miss = useCallback(
    (syncId: string) => {
      if (!loaded || missed.current.has(syncId)) return;
      missed.current.add(syncId);
      setGeneration((n) => n + 1);
    },
    [loaded],
  );
  const value = useMemo(
    (): SidesDirectory => ({ get: (syncId) => directory?.get(syncId), miss }),
    [directory, miss],
  );
  return <SidesContext.Provider value={value}>{props.children}</SidesContext.Provider>;
}

/** The sides of a sync (Left and Right until they are known). */
export function useSides(syncId: string | undefined): SyncSides {
  const directory = useContext(SidesContext);
  const sides = syncId === undefined ? undefined : directory.get(syncId);
  useEffect(() => {
    if (syncId !== undefined && sides === undefined) directory.miss(syncId);
  }, [directory, syncId, sides]);
  return sides ?? UNKNOWN_SIDES;
}

/** "Open in HubSpot ↗" for a record, when its connection tells where the vendor's UI is. */
export function VendorLink(props: { side: SideInfo; id: string | null }): ReactNode {
  const { side, id } = props;
  if (id === null) return null;
  const href = recordUrl(side.links, side.object, id);
  if (href === undefined) return null;
  return (
    <a
      href={href}
      target="_blank"
      rel="noopener noreferrer"
      className="vendor-link small"
      aria-label={`Open ${id} in ${side.vendor}`}
    >
      {side.vendor} ↗
    </a>
  );
}
