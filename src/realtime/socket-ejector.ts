import { Inject, Injectable } from '@nestjs/common';
import type { Namespace, Socket } from 'socket.io';
import type { ChatSocketData } from '../chat/chat-socket.js';
import { SOCKET_ADAPTER, type SocketAdapterFactory } from '../engine/engine.port.js';
import type { LeaveReason } from './realtime.service.js';

/** Which sockets to remove: one socket, or every socket of a user or of an IP address. */
export interface EjectSelector {
  socketId?: string;
  userId?: string | null;
  ip?: string | null;
}

export interface EjectNotice {
  event: 'moderation:kicked' | 'moderation:banned';
  payload: { reason: string; until?: string | null };
  /** The reason the rooms are told in `room:member-left`. */
  leaveReason: Extract<LeaveReason, 'kicked' | 'banned'>;
}

/** Server-to-server event: every instance removes its own sockets that match. */
const EJECT = 'parley:eject';

/**
 * Removes sockets on every instance at once: each instance is told (Socket.IO server-side events
 * over the adapter) and disconnects its own matching sockets after sending them the notice.
 */
@Injectable()
export class SocketEjector {
  private namespace?: Namespace;

  constructor(@Inject(SOCKET_ADAPTER) private readonly adapter: SocketAdapterFactory | null) {}

  attach(namespace: Namespace): void {
    this.namespace = namespace;
    namespace.on(EJECT, (selector: EjectSelector, notice: EjectNotice) => this.ejectLocal(selector, notice));
  }

  /** Ejects matching sockets here and asks the other instances to do the same. */
  eject(selector: EjectSelector, notice: EjectNotice): void {
    this.ejectLocal(selector, notice);
    if (this.adapter && this.namespace) {
      this.namespace.serverSideEmit(EJECT, selector, notice);
    }
  }

  private ejectLocal(selector: EjectSelector, notice: EjectNotice): void {
    for (const socket of this.namespace?.sockets.values() ?? []) {
      if (matches(socket, selector)) {
        (socket.data as ChatSocketData).leaveReason = notice.leaveReason;
        socket.emit(notice.event, notice.payload);
        // Closing the connection flushes the notice first; the client sees "io server disconnect"
        // and does not reconnect by itself.
        socket.disconnect(true);
      }
    }
  }
}

function matches(socket: Socket, selector: EjectSelector): boolean {
  const data = socket.data as Partial<ChatSocketData>;
  return (
    (selector.socketId !== undefined && socket.id === selector.socketId) ||
    (!!selector.userId && data.user?.id === selector.userId) ||
    (!!selector.ip && data.ip === selector.ip)
  );
}
