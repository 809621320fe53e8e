import { useSyncExternalStore } from 'react';

// The admin token lives in sessionStorage only: it dies with the tab, is never written to
// localStorage and never travels in a URL.
const TOKEN_KEY = 'parley.adminToken';

export const SESSION_EXPIRED_MESSAGE = 'Your session has expired. Please log in again.';

export interface Session {
  token: string | null;
  /** Shown on the login page, e.g. why the admin was logged out. */
  notice: string | null;
}

let session: Session = { token: readStoredToken(), notice: null };
const listeners = new Set<() => void>();

function readStoredToken(): string | null {
  try {
    return window.sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function setSession(next: Session): void {
  session = next;
  try {
    if (next.token === null) {
      window.sessionStorage.removeItem(TOKEN_KEY);
    } else {
      window.sessionStorage.setItem(TOKEN_KEY, next.token);
    }
  } catch {
    // Storage disabled: the session still works for this page's lifetime.
  }
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): Session {
  return useSyncExternalStore(subscribe, () => session);
}

export function currentToken(): string | null {
  return session.token;
}

export function logIn(token: string): void {
  setSession({ token, notice: null });
}

export function logOut(notice: string | null = null): void {
  setSession({ token: null, notice });
}

/**
 * Ends the session after the server refused `rejectedToken` (401, or UNAUTHORIZED on the socket).
 * A late answer to a request made with an older token must not end a newer session.
 */
export function expireSession(rejectedToken: string | null): void {
  if (session.token !== null && session.token === rejectedToken) {
    logOut(SESSION_EXPIRED_MESSAGE);
  }
}
