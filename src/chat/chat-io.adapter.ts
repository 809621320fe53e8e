import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { Server, ServerOptions } from 'socket.io';
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
}

/** Whether a handshake's Origin header passes CORS_ORIGINS. */
export function originAllowed(origin: string | undefined, allowed: string[] | '*'): boolean {
  return origin === undefined || allowed === '*' || allowed.includes(origin);
}
