import { useSyncExternalStore } from 'react';

// Hash routes (#/rooms, #/rooms/<id>, ...): the server serves one index.html and nothing
// sensitive ever goes into the URL.

export type Route =
  | { page: 'dashboard' }
  | { page: 'rooms' }
  | { page: 'room'; roomId: string }
  | { page: 'clients' }
  | { page: 'bans' }
  | { page: 'moderation-log' }
  | { page: 'announcements' };

export const NAV_LINKS = [
  { href: '#/dashboard', label: 'Dashboard', page: 'dashboard' },
  { href: '#/rooms', label: 'Rooms', page: 'rooms' },
  { href: '#/clients', label: 'Clients', page: 'clients' },
  { href: '#/bans', label: 'Bans', page: 'bans' },
  { href: '#/moderation-log', label: 'Moderation log', page: 'moderation-log' },
  { href: '#/announcements', label: 'Announcements', page: 'announcements' },
] as const;

export function roomHref(roomId: string): string {
  return `#/rooms/${encodeURIComponent(roomId)}`;
}

function decode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

export function parseHash(hash: string): Route {
  const [first = '', second, ...rest] = hash.replace(/^#\/?/, '').split('/');
  if (first === 'rooms' && second && rest.length === 0) {
    const roomId = decode(second);
    return roomId ? { page: 'room', roomId } : { page: 'rooms' };
  }
  const link = NAV_LINKS.find((candidate) => candidate.page === first);
  return link ? { page: link.page } : { page: 'dashboard' };
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

/** The current location hash; components parse it with parseHash. */
export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}

export function navigate(href: string): void {
  window.location.hash = href;
}
