import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayConnection, type OnGatewayInit } from '@nestjs/websockets';
import type { ExtendedError, Namespace, Socket } from 'socket.io';
import { TokenService } from '../auth/token.service.js';
import { handshakeError } from '../chat/handshake.middleware.js';
import { ChatError } from '../common/errors/chat-error.js';
import { AppConfig } from '../config/app-config.js';
import { AdminStatsService } from './admin-stats.service.js';
import type { InstanceDto, OverviewDto } from './dto/admin.dto.js';

/** Samples kept for the console's chart (a minute at the default interval). */
const SERIES_LENGTH = 30;

export interface LiveSample {
  at: string;
  messagesLastMinute: number;
  connections: number;
}

export interface LiveStats {
  at: string;
  overview: OverviewDto;
  instances: InstanceDto[];
  /** The last samples, oldest first. */
  series: LiveSample[];
}

/**
 * The Socket.IO namespace `/admin`: consoles connect with an admin token and get `admin:stats`
 * at once and then every ADMIN_LIVE_INTERVAL_MS. Each instance pushes to its own admin sockets
 * (the figures are cluster-wide already), and disconnects a console when its token expires.
 */
@WebSocketGateway({ namespace: '/admin' })
export class AdminLiveGateway implements OnGatewayInit<Namespace>, OnGatewayConnection<Socket>, OnModuleDestroy {
  private readonly logger = new Logger(AdminLiveGateway.name);
  private namespace?: Namespace;
  private timer?: NodeJS.Timeout;
  /** One sample per push, the newest last. */
  private readonly series: LiveSample[] = [];

  constructor(
    private readonly tokens: TokenService,
    private readonly stats: AdminStatsService,
    private readonly config: AppConfig,
  ) {}

  afterInit(namespace: Namespace): void {
    this.namespace = namespace;
    namespace.use((socket, next) => next(this.authenticate(socket)));
    this.timer = setInterval(() => void this.tick(), this.config.admin.liveIntervalMs);
    this.timer.unref();
  }

  async handleConnection(socket: Socket): Promise<void> {
    const expiresAt = (socket.data as { expiresAt: number }).expiresAt;
    const expiry = setTimeout(() => socket.disconnect(true), Math.max(0, expiresAt * 1000 - Date.now()));
    expiry.unref();
    socket.on('disconnect', () => clearTimeout(expiry));
    // Fresh figures: the last push may be an interval old (or predate the first heartbeat).
    socket.emit('admin:stats', await this.sample());
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private authenticate(socket: Socket): ExtendedError | undefined {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    try {
      if (typeof token !== 'string' || token.length === 0) {
        throw ChatError.unauthorized('Missing admin token: io(url + "/admin", { auth: { token } })');
      }
      (socket.data as { expiresAt: number }).expiresAt = this.tokens.verifyAdmin(token).expiresAt;
      return undefined;
    } catch (error) {
      return handshakeError(error instanceof ChatError ? error : ChatError.unauthorized());
    }
  }

  private async tick(): Promise<void> {
    try {
      this.namespace?.local.emit('admin:stats', await this.sample());
    } catch (error) {
      // The store is unreachable: consoles keep the last figures and readiness says why.
      this.logger.debug(`Live figures skipped: ${String(error)}`);
    }
  }

  /** The cluster figures now, recorded as the newest sample of the series. */
  private async sample(): Promise<LiveStats> {
    const [overview, instances] = await Promise.all([this.stats.overview(), this.stats.instances()]);
    const at = new Date().toISOString();
    this.series.push({ at, messagesLastMinute: overview.messagesLastMinute, connections: overview.connections });
    this.series.splice(0, this.series.length - SERIES_LENGTH);
    return { at, overview, instances, series: [...this.series] };
  }
}
