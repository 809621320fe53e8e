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
  /** Namespace → its event → handler index (see bindMessageHandlers). */
  private readonly tables = new Map<string, HandlerTable>();

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
   * One dispatching middleware per socket, registered after the gateway's own (Nest binds the
   * handlers once handleConnection has started), instead of a listener per event: Nest's adapter
   * builds an rxjs pipeline per event per socket (about 30 KiB per connection for the six events
   * of /chat, measured with bench/heap-snapshot.mjs), and even plain listeners turn the socket's
   * listener map into a dictionary (about 1.3 KiB per connection with their closures).
   *
   * A socket's events are handled one after another, in the order they arrived, from the pipes
   * on: a `room:leave` sent while a `room:join` is still being checked applies after that join,
   * however long each takes to validate. Nest's behaviour is kept otherwise: a handler's result (a
   * value, a Promise or an Observable) that is not null or undefined is sent as the ack, or emitted
   * when it is `{ event, data }`; an error that escapes the exception filters is logged and the
   * event keeps working. Events without a handler go on to the socket's listeners as before.
   */
  override bindMessageHandlers(socket: Socket, handlers: MessageMappingProperties[]): void {
    const table = this.handlerTable(socket.nsp.name, handlers);
    const callbacks = handlers.map(({ callback }) => callback);
    // The event being handled and those behind it; none (nothing kept) when the socket is idle.
    let queue: Promise<void> | undefined;
    socket.use((packet, next) => {
      const entry = typeof packet[0] === 'string' ? table.get(packet[0]) : undefined;
      if (entry === undefined) {
        next();
        return;
      }
      // As rxjs' fromEvent hands them to Nest's mapPayload: one argument (or none) alone, several
      // as an array.
      const { data, ack } = this.mapPayload(packet.length > 2 ? packet.slice(1) : packet[1]) as {
        data: unknown;
        ack?: unknown;
      };
      const run = (): unknown => callbacks[entry.index](data, ack);
      const result = queue ? queue.then(run) : runNow(run);
      const settled = (): void => {
        if (queue === tail) {
          queue = undefined;
        }
      };
      const tail: Promise<void> = result.then(settled, settled);
      queue = tail;
      reply(socket, result, ack, entry.ackedManually);
    });
  }

  /**
   * Nest's own wraps the callback in a closure and listens with `once` (a wrapper and a bound
   * function more per connection); a socket emits "disconnect" once, so the callback can listen
   * as it is.
   */
  override bindClientDisconnect(client: Socket, callback: (reason: unknown) => void): void {
    client.on('disconnect', callback);
  }

  /**
   * The namespace's event → handler index, made for its first socket. Nest hands every socket of
   * a gateway the same events in the same order; a socket that differs gets a table of its own.
   */
  private handlerTable(namespace: string, handlers: MessageMappingProperties[]): HandlerTable {
    const known = this.tables.get(namespace);
    if (
      known?.size === handlers.length &&
      handlers.every(({ message }, i) => known.get(message as string)?.index === i)
    ) {
      return known;
    }
    const table: HandlerTable = new Map(
      handlers.map(({ message, isAckHandledManually }, index) => [
        message as string,
        { index, ackedManually: isAckHandledManually },
      ]),
    );
    if (!known) {
      this.tables.set(namespace, table);
    }
    return table;
  }
}

type HandlerTable = Map<string, { index: number; ackedManually: boolean }>;

const logger = new Logger('ChatIoAdapter');

/**
 * `run()` as a Promise, started now: Nest's handlers return a native Promise, which is taken as
 * it is (wrapping it, `new Promise((resolve) => resolve(run()))`, costs two more microtasks per
 * event); anything else, or a throw, is settled with.
 */
function runNow(run: () => unknown): Promise<unknown> {
  try {
    const value = run();
    return value instanceof Promise ? value : Promise.resolve(value);
  } catch (error) {
    // Rejected with what was thrown, as it was thrown.
    return Promise.resolve().then(() => {
      throw error;
    });
  }
}

/**
 * Sends a handler's result as Nest's adapter does: `{ event, data }` is emitted, anything else
 * but null or undefined acked (unless the handler acks itself), each value of an Observable too.
 */
function reply(socket: Socket, result: Promise<unknown>, ack: unknown, ackedManually: boolean): void {
  const send = (response: unknown): void => {
    if (response === null || response === undefined) {
      return;
    }
    const { event, data } = response as { event?: unknown; data?: unknown };
    if (typeof event === 'string' && event.length > 0) {
      socket.emit(event, data);
    } else if (!ackedManually && typeof ack === 'function') {
      (ack as (response: unknown) => void)(response);
    }
  };
  result.then(
    (value) => {
      if (isObservable(value)) {
        value.subscribe({ next: send, error: (error: unknown) => logger.error(error) });
      } else {
        send(value);
      }
    },
    (error: unknown) => logger.error(error),
  );
}

/** Whether a handshake's Origin header passes CORS_ORIGINS. */
export function originAllowed(origin: string | undefined, allowed: string[] | '*'): boolean {
  return origin === undefined || allowed === '*' || allowed.includes(origin);
}
