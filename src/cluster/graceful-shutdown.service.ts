import { Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { AppConfig } from '../config/app-config.js';
import { RealtimeService } from '../realtime/realtime.service.js';

/**
 * Hands an instance's clients over before it stops (SIGTERM): it stops taking connections (the
 * load balancer's next attempt goes to another instance), readiness turns down, and every client
 * connection is closed the way a network drop closes it, so that Socket.IO clients reconnect by
 * themselves — through the balancer, to an instance that stays — and recover with `since`.
 */
@Injectable()
export class GracefulShutdown {
  private readonly logger = new Logger(GracefulShutdown.name);
  private drainingSince: number | null = null;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly realtime: RealtimeService,
    private readonly config: AppConfig,
  ) {}

  /** True once the instance has begun to stop: no new handshake, readiness down. */
  get draining(): boolean {
    return this.drainingSince !== null;
  }

  /** Resolves once every client connection is closed, or after SHUTDOWN_TIMEOUT_MS at most. */
  async drain(): Promise<void> {
    if (this.draining) {
      return;
    }
    this.drainingSince = Date.now();
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    // No new TCP connection; requests in flight and open sockets carry on for now.
    server?.close();
    const sockets = [...this.realtime.chat.sockets.values()];
    this.logger.log(`Shutting down: handing ${sockets.length} client connection(s) over`);
    for (const socket of sockets) {
      // A transport close, not a Socket.IO disconnect: the client reconnects by itself.
      socket.conn.close();
    }
    const deadline = this.drainingSince + this.config.cluster.shutdownTimeoutMs;
    while (this.realtime.chat.sockets.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
