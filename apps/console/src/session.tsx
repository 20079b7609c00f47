import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { accountLabel } from './lib/account';
import { Api, ApiError } from './lib/api';
import { checkRequest, PermissionBatcher, type Check, type CheckResult, type Permission } from './lib/permissions';

export interface Principal {
  Type: 'root' | 'user';
  AccountId: string;
  UserId?: string;
  UserName?: string;
  Path?: string;
  Arn: string;
}

export interface Session {
  token: string;
  principal: Principal;
  expiration: string;
  passwordChangeOnly: boolean;
}

interface SessionState {
  session?: Session;
  /** Why the user sees the sign-in page again (the session ended); the page stays where it was. */
  ended?: string;
  api: Api;
  permissions: PermissionBatcher;
  /** The signed-in account's alias (`ListAccountAliases`), `[]` when none is set or it may not be read; undefined until known. */
  aliases?: readonly string[];
  signIn(input: { UserName?: string; Root?: boolean; Password: string }): Promise<Session>;
  signOut(): Promise<void>;
  /** After a password change: sessions are ended, sign in again. */
  forget(reason?: string): void;
}

const STORAGE_KEY = 'iam-console-session';
const Context = createContext<SessionState | undefined>(undefined);

function stored(): Session | undefined {
  try {
    const text = sessionStorage.getItem(STORAGE_KEY);
    if (!text) return undefined;
    const session = JSON.parse(text) as Session;
    return Date.parse(session.expiration) > Date.now() ? session : undefined;
  } catch {
    return undefined;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | undefined>(stored);
  const [ended, setEnded] = useState<string>();
  const navigate = useNavigate();
  const tokenRef = useRef(session?.token);
  tokenRef.current = session?.token;

  const forget = useCallback((reason?: string) => {
    sessionStorage.removeItem(STORAGE_KEY);
    tokenRef.current = undefined;
    setSession(undefined);
    setEnded(reason);
  }, []);

  const api = useMemo(
    () =>
      new Api(
        () => tokenRef.current,
        (error: ApiError) => forget(error.code === 'ExpiredToken' ? 'Your session has expired. Sign in again to continue where you were.' : 'Your session has ended. Sign in again to continue where you were.'),
      ),
    [forget],
  );
  const permissions = useMemo(
    () => new PermissionBatcher(async (checks: Check[]) => (await api.post<{ Results: CheckResult[] }>('/v1/me/permissions', { Checks: checks.map(checkRequest) })).Results),
    [api],
  );

  // The account's alias, once per session: the console names the account by it.
  const [aliases, setAliases] = useState<{ token: string; aliases: readonly string[] }>();
  const token = session?.token;
  useEffect(() => {
    if (!token) return;
    let live = true;
    api.get<{ AccountAliases?: string[] }>('/v1/account/aliases').then(
      (reply) => live && setAliases({ token, aliases: reply.AccountAliases ?? [] }),
      // Not allowed to list aliases (or no answer): the account is named by its id.
      () => live && setAliases({ token, aliases: [] }),
    );
    return () => {
      live = false;
    };
  }, [api, token]);

  // A session ends at its expiration even if nothing is clicked.
  useEffect(() => {
    if (!session) return;
    const left = Date.parse(session.expiration) - Date.now();
    const timer = setTimeout(() => forget('Your session has expired. Sign in again to continue where you were.'), Math.max(0, Math.min(left, 2 ** 31 - 1)));
    return () => clearTimeout(timer);
  }, [session, forget]);

  const signIn = useCallback(
    async (input: { UserName?: string; Root?: boolean; Password: string }) => {
      const reply = await api.post<{ SessionToken: string; Principal: Principal; Expiration: string; PasswordChangeOnly: boolean }>('/v1/sessions', input);
      const next: Session = { token: reply.SessionToken, principal: reply.Principal, expiration: reply.Expiration, passwordChangeOnly: reply.PasswordChangeOnly };
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
      tokenRef.current = next.token;
      permissions.clear();
      setEnded(undefined);
      setSession(next);
      return next;
    },
    [api, permissions],
  );

  const signOut = useCallback(async () => {
    try {
      await api.delete('/v1/sessions/current');
    } catch {
      // Signed out here whatever the server says.
    }
    permissions.clear();
    forget();
    // Signing out leaves the page: whoever signs in next starts at the dashboard. (A session that
    // ends by itself keeps the page, to come back to it.)
    navigate('/', { replace: true });
  }, [api, permissions, forget, navigate]);

  const known = aliases && aliases.token === token ? aliases.aliases : undefined;
  const value = useMemo(
    () => ({ session, ended, api, permissions, aliases: known, signIn, signOut, forget }),
    [session, ended, api, permissions, known, signIn, signOut, forget],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useSession(): SessionState & { session: Session } {
  const state = useContext(Context);
  if (!state?.session) throw new Error('useSession outside a signed-in page');
  return state as SessionState & { session: Session };
}

export function useSessionState(): SessionState {
  const state = useContext(Context);
  if (!state) throw new Error('no SessionProvider');
  return state;
}

export function useApi(): Api {
  return useSessionState().api;
}

/** The account id of the signed-in principal. */
export function useAccount(): string {
  return useSession().session.principal.AccountId;
}

/** The signed-in account's name: its alias when one is set, else its id (`accountLabel`). */
export function useAccountName(): string {
  const { session, aliases } = useSession();
  return accountLabel(session.principal.AccountId, aliases);
}

/** May the signed-in principal do each of `checks`? Asked in batches; re-rendered as answers arrive. */
export function useCan(checks: ReadonlyArray<Check | undefined>): Permission[] {
  const { permissions } = useSessionState();
  const version = useSyncExternalStore(
    useCallback((listener) => permissions.subscribe(listener), [permissions]),
    () => checks.map((check) => (check ? permissions.get(check) : 'unknown')).join(','),
  );
  return version === '' ? [] : (version.split(',') as Permission[]);
}
