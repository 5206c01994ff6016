// What every component of the console may need, passed down by context instead of globals: the api
// module and the signed-in session.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { SignedInSession } from '../../contracts/console-session.js';
import type { Api } from './api.js';

export const ApiContext = createContext<Api | null>(null);
export const SessionContext = createContext<SignedInSession | null>(null);

export function useApiClient(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApiClient outside <ApiContext.Provider>');
  return api;
}

export function useSession(): SignedInSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in desk');
  return session;
}

/** The package catalogue's display name; an unknown id shows as itself. */
export const packageNameIn = (session: SignedInSession) => (id: string) => session.packages[id] ?? id;
