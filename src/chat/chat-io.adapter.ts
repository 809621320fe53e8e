import { Logger, type INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { isObservable } from 'rxjs';
import type { Server, ServerOptions, Socket } from 'socket.io';
import { GracefulShutdown } from '../cluster/graceful-shutdown.service.js';
import { AppConfig } from '../config/app-config.js';
import { SOCKET_ADAPTER, type SocketAdapterFactory } from '../engine/engine.port.js';

/** The Socket.IO server with Parley's limits and CORS, shared by every gateway. */
export class ChatIoAdapter extends IoAdapter {
  private readonly config: AppConfig;
  private readonly adapter: SocketAdapterFactory | null;
  private readonly shutdown: GracefulShutdown;

  constructor(app: INestApplicationContext) {
    super(app);
    this.config = app.get(AppConfig);
    // Connected before the app listens (an async provider), so no broadcast is lost at start.
    this.adapter = app.get<SocketAdapterFactory | null>(SOCKET_ADAPTER);
    this.shutdown = app.get(GracefulShutdown);
  }

  override createIOServer(port: number, options?: Partial<ServerOptions>): Server {
    const { http } = this.config;
    return super.createIOServer(port, {
      ...options,
      path: options?.path ?? '/socket.io',
      serveClient: false,
      ...(this.adapter ? { adapter: this.adapter } : {}),
      maxHttpBufferSize: http.maxPayloadBytes,
      perMessageDeflate: false,
      cors: { origin: http.corsOrigins === '*' ? true : http.corsOrigins, credentials: false },
      // CORS headers alone do not stop a WebSocket from another site's page: the handshake itself
      // is refused when a browser's Origin is not allowed (clients that send none are not browsers).
      // An instance that is shutting down takes no new connection: the client retries elsewhere.
      allowRequest: (request, callback) =>
        callback(null, !this.shutdown.draining && originAllowed(request.headers.origin, http.corsOrigins)),
    } as ServerOptions);
  }

  /**
   * One plain listener per event and socket. Nest's own builds an rxjs pipeline per event per
   * socket (about 30 KiB per connection for the six events of /chat, measured with
   * bench/heap-snapshot.mjs) and several Observables per message. Its behaviour is kept: a
   * handler's result (a value, a Promise or an Observable) that is not null or undefined is sent
   * as the ack, or emitted when it is `{ event, data }`; an error that escapes the exception
   * filters is logged and the event keeps working.
   */
  override bindMessageHandlers(socket: Socket, handlers: MessageMappingProperties[]): void {
    for (const { message, callback, isAckHandledManually } of handlers) {
      socket.on(message as string, (...args: unknown[]) => {
        // As rxjs' fromEvent hands them to Nest's mapPayload: one argument (or none) alone, several
        // as an array.
        const payload = args.length > 1 ? args : args[0];
        const { data, ack } = this.mapPayload(payload) as { data: unknown; ack?: unknown };
        new Promise((resolve) => resolve(callback(data, ack))).then(
          (result) => {
            if (isObservable(result)) {
              result.subscribe({
                next: (response) => reply(socket, response, ack, isAckHandledManually),
                error: (error: unknown) => logger.error(error),
              });
            } else {
              reply(socket, result, ack, isAckHandledManually);
            }
          },
          (error: unknown) => logger.error(error),
        );
      });
    }
  }
}

const logger = new Logger('ChatIoAdapter');

/** A handler's reply, as Nest's adapter sends it: `{ event, data }` is emitted, anything else acked. */
function reply(socket: Socket, response: unknown, ack: unknown, ackedManually: boolean): void {
  if (response === null || response === undefined) {
    return;
  }
  const { event, data } = response as { event?: unknown; data?: unknown };
  if (typeof event === 'string' && event.length > 0) {
    socket.emit(event, data);
  } else if (!ackedManually && typeof ack === 'function') {
    (ack as (response: unknown) => void)(response);
  }
}

/** Whether a handshake's Origin header passes CORS_ORIGINS. */
export function originAllowed(origin: string | undefined, allowed: string[] | '*'): boolean {
  return origin === undefined || allowed === '*' || allowed.includes(origin);
}
