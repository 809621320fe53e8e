import { useEffect, useState } from 'react';
import { io } from 'socket.io-client';
import { expireSession } from './session';
import type { AdminStats } from './types';

export type LiveStatus = 'connecting' | 'live' | 'disconnected';

export interface LiveStats {
  status: LiveStatus;
  /** The latest `admin:stats` payload; kept while disconnected so the page does not go blank. */
  stats: AdminStats | null;
}

/**
 * Live figures from the Socket.IO namespace /admin (same origin, admin token in the handshake).
 * The server pushes `admin:stats` right after connecting and every ~2 s; the client reconnects by
 * itself after a network loss. A refused token (connect_error UNAUTHORIZED) ends the session,
 * also when the server disconnected the socket because its token expired.
 */
export function useLiveStats(token: string): LiveStats {
  const [live, setLive] = useState<LiveStats>({ status: 'connecting', stats: null });

  useEffect(() => {
    const socket = io('/admin', { auth: { token }, transports: ['websocket'] });
    socket.on('connect', () => setLive((previous) => ({ ...previous, status: 'live' })));
    socket.on('disconnect', (reason) => {
      setLive((previous) => ({ ...previous, status: 'disconnected' }));
      if (reason === 'io server disconnect') {
        // The server ends an admin socket when its token expires; socket.io-client would not retry
        // on its own. Retrying gets the verdict: UNAUTHORIZED (below) ends the session.
        socket.connect();
      }
    });
    socket.on('connect_error', (error: Error) => {
      if (error.message === 'UNAUTHORIZED') {
        expireSession(token);
      }
      setLive((previous) => ({ ...previous, status: 'disconnected' }));
    });
    socket.on('admin:stats', (stats: AdminStats) => setLive({ status: 'live', stats }));
    return () => {
      socket.disconnect();
    };
  }, [token]);

  return live;
}
