import { Injectable } from '@nestjs/common';
import type { Namespace } from 'socket.io';
import { roomChannel } from './channels.js';

export type CloseReason = 'expired' | 'deleted' | 'closed-by-admin';

/**
 * The services' handle on the `/chat` namespace, so that REST actions and timers (room closed,
 * message deleted) reach connected clients without depending on the gateway.
 */
@Injectable()
export class RealtimeService {
  private namespace?: Namespace;

  attach(namespace: Namespace): void {
    this.namespace = namespace;
  }

  get chat(): Namespace {
    if (!this.namespace) {
      throw new Error('The /chat namespace is not initialised yet');
    }
    return this.namespace;
  }

  /** Tells every socket in the room that it is closed, then takes them all out of it. */
  roomClosed(roomId: string, reason: CloseReason): void {
    if (!this.namespace) {
      return;
    }
    const channel = roomChannel(roomId);
    this.namespace.to(channel).emit('room:closed', { roomId, reason });
    this.namespace.in(channel).socketsLeave(channel);
  }
}
