/** The signed-in key: its API client and what its role may do, for every page. */
import { createContext, useContext } from 'react';
import type { Api } from './api';
import type { Me, Permission } from './types';

export interface Session {
  api: Api;
  me: Me;
  can: (permission: Permission) => boolean;
  signOut: () => void;
}

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === undefined) throw new Error('useSession outside a signed-in console');
  return session;
}
