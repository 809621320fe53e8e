import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { ExtendedError, Socket } from 'socket.io';
import { AuthService } from '../auth/auth.service.js';
import { TokenService } from '../auth/token.service.js';
import { ClientIp } from '../common/client-ip.js';
import { ChatError } from '../common/errors/chat-error.js';
import { InstanceIdentity } from '../cluster/instance-identity.js';
import { CHAT_ENGINE, type ChatEngine } from '../engine/engine.port.js';
import { BansService } from '../moderation/bans.service.js';
import { SocketLimits } from '../rate-limit/socket-limits.service.js';
import { clientRecordOf, type ChatSocketData } from './chat-socket.js';

/** A refusal as the client sees it: `err.message` is the code, `err.data` the details. */
export function handshakeError(error: ChatError): ExtendedError {
  const refusal: ExtendedError = new Error(error.code);
  const details = error.details as { until?: string | null; retryAfterMs?: number } | undefined;
  refusal.data = {
    code: error.code,
    message: error.message,
    ...(details?.until !== undefined ? { until: details.until } : {}),
    ...(details?.retryAfterMs !== undefined ? { retryAfterMs: details.retryAfterMs } : {}),
  };
  return refusal;
}

/**
 * What the handshake was read for is in `socket.data` (user, token expiry, address): the socket
 * keeps neither the credential (the token, about 300 bytes) nor the HTTP upgrade request's headers,
 * which Engine.IO holds for the connection's whole life (with the request: about 0.4 KiB per
 * connection in a heap snapshot, bench/heap-snapshot.mjs). Afterwards `socket.request` is
 * undefined and `socket.handshake.headers` / `query` are empty; nothing of Parley reads them later
 * (a second /chat socket on the same connection takes the address from `addresses`).
 */
function releaseHandshake(socket: Socket): void {
  socket.handshake.auth = {};
  socket.handshake.headers = {};
  socket.handshake.query = {};
  const conn = socket.conn as { request?: IncomingMessage };
  if (conn.request) {
    // Engine.IO's upgrade response object keeps the request itself alive until the connection
    // closes: what it holds is emptied, then the connection lets go of it.
    conn.request.headers = {};
    conn.request.rawHeaders = [];
    conn.request = undefined;
  }
}

/**
 * Authenticates a `/chat` handshake before the connection is accepted. The token is read from
 * `auth.token` only: a token in the query string is refused, since URLs end up in logs.
 */
@Injectable()
export class HandshakeMiddleware {
  private readonly logger = new Logger(HandshakeMiddleware.name);
  /** The client address of each connection whose upgrade request was released (releaseHandshake). */
  private readonly addresses = new WeakMap<object, string>();

  constructor(
    private readonly tokens: TokenService,
    private readonly auth: AuthService,
    private readonly bans: BansService,
    private readonly clientIp: ClientIp,
    private readonly limits: SocketLimits,
    private readonly identity: InstanceIdentity,
    @Inject(CHAT_ENGINE) private readonly engine: ChatEngine,
  ) {}

  readonly use = (socket: Socket, next: (err?: ExtendedError) => void): void => {
    this.authenticate(socket).then(
      (session) => {
        Object.assign(socket.data as ChatSocketData, session);
        this.addresses.set(socket.conn, session.ip);
        releaseHandshake(socket);
        next();
      },
      (error: unknown) => {
        if (!(error instanceof ChatError)) {
          this.logger.error(
            `Handshake failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          );
        }
        next(handshakeError(error instanceof ChatError ? error : ChatError.internal()));
      },
    );
  };

  private async authenticate(socket: Socket): Promise<Pick<ChatSocketData, 'user' | 'tokenExpiresAt' | 'ip'>> {
    const ip = this.addresses.get(socket.conn) ?? this.clientIp.of(socket.request);
    // Counted before anything else: a flood of handshakes costs one counter each.
    await this.limits.admitHandshake(ip);
    const auth = socket.handshake.auth as { token?: unknown } | undefined;
    const token = auth?.token;
    if (typeof token !== 'string' || token.length === 0) {
      const inQuery = 'token' in socket.handshake.query;
      throw ChatError.unauthorized(
        inQuery
          ? 'Send the token in the handshake auth payload, not the URL'
          : 'Missing token: io(url, { auth: { token } })',
      );
    }
    const { user, expiresAt } = this.tokens.verifySession(token);
    await this.bans.assertNotBanned(user.id, ip);
    const current = await this.auth.current(user);
    // Last, as it registers the connection: nothing after it can fail but the connection itself.
    await this.limits.admitConnection(clientRecordOf(socket, current, ip, this.identity.id));
    if (socket.conn.readyState !== 'open') {
      // The client went away meanwhile: Socket.IO drops the socket without a disconnect event.
      await this.engine.clients.unregister(socket.id);
      throw ChatError.unauthorized('The connection closed during the handshake');
    }
    return { user: current, tokenExpiresAt: expiresAt, ip };
  }
}
