import type { DefaultEventsMap, Socket } from 'socket.io';
import type { AuthUser } from '../auth/auth-user.js';

export interface ChatSocketData {
  user: AuthUser;
}

/** A socket of the `/chat` namespace once its handshake was accepted. */
export type ChatSocket = Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, ChatSocketData>;
