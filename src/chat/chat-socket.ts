import type { DefaultEventsMap, Socket } from 'socket.io';
import type { AuthUser } from '../auth/auth-user.js';
import type { ClientRecord } from '../engine/moderation.port.js';

export interface ChatSocketData {
  user: AuthUser;
  /** Expiry of the handshake token (seconds since the epoch); re-issued tokens never outlive it. */
  tokenExpiresAt: number;
  /** The client's address (see ClientIp). */
  ip: string;
  /** Set when an admin removes the socket: the reason its rooms are told. */
  leaveReason?: 'kicked' | 'banned';
  /** message:send refused by the rate limit in a row (see SocketLimits). */
  strikes?: number;
}

/** A socket of the `/chat` namespace once its handshake was accepted. */
export type ChatSocket = Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, ChatSocketData>;

/** A socket as the cluster-wide client registry records it, from its handshake. */
export function clientRecordOf(socket: Socket, user: AuthUser, ip: string, instanceId: string): ClientRecord {
  return {
    socketId: socket.id,
    user: { id: user.id, username: user.username, kind: user.kind },
    ip,
    instanceId,
    connectedAt: socket.handshake.issued,
  };
}

/** A connected socket as the cluster-wide client registry records it. */
export function clientRecord(socket: ChatSocket, instanceId: string): ClientRecord {
  return clientRecordOf(socket, socket.data.user, socket.data.ip, instanceId);
}
