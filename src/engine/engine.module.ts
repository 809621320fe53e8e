import { createAdapter } from '@socket.io/redis-adapter';
import { Global, Inject, Logger, Module, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { InstanceIdentity } from '../cluster/instance-identity.js';
import { AppConfig } from '../config/app-config.js';
import { CHAT_ENGINE, SOCKET_ADAPTER, type ChatEngine, type SocketAdapterFactory } from './engine.port.js';
import { MemoryEngine } from './memory/memory.engine.js';
import { openRedis, redactUrl } from './redis/redis-connections.js';
import { RedisEngine } from './redis/redis.engine.js';

/** The Socket.IO adapter's connections, closed at shutdown (the engine closes its own). */
export class AdapterConnections {
  readonly clients: Redis[] = [];

  /**
   * Resolves once every subscription the adapter asked for is in place: a PING queued behind them
   * is answered only after them. Awaited before the app listens, so no early broadcast is missed.
   */
  async settled(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.ping()));
  }
}

/** The one switch that picks the engine (and the Socket.IO adapter that goes with it) from config. */
const engineProvider: Provider = {
  provide: CHAT_ENGINE,
  inject: [AppConfig, InstanceIdentity],
  useFactory: async (config: AppConfig, identity: InstanceIdentity): Promise<ChatEngine> => {
    const logger = new Logger('EngineModule');
    const { kind, redisUrl, redisKeyPrefix } = config.engine;
    if (kind === 'memory' || !redisUrl) {
      logger.log('Chat engine: memory (one instance; state is lost on restart)');
      return new MemoryEngine(identity.id);
    }
    // The engine owns these two connections and closes them (engine.close()): an ioredis client
    // closed a second time keeps a two-second timer that holds the process after shutdown.
    const redis = await openRedis(redisUrl, 'command', 'engine');
    const subscriber = await openRedis(redisUrl, 'pubsub', 'engine-sub');
    const engine = new RedisEngine(redis, redisKeyPrefix, identity.id, subscriber);
    await engine.refreshIncarnation();
    logger.log(`Chat engine: redis at ${redactUrl(redisUrl)}, key prefix "${redisKeyPrefix}"`);
    return engine;
  },
};

const adapterProvider: Provider = {
  provide: SOCKET_ADAPTER,
  inject: [AppConfig, AdapterConnections],
  useFactory: async (config: AppConfig, connections: AdapterConnections): Promise<SocketAdapterFactory | null> => {
    const { kind, redisUrl, redisKeyPrefix } = config.engine;
    if (kind === 'memory' || !redisUrl) {
      return null;
    }
    const pub = await openRedis(redisUrl, 'pubsub', 'adapter-pub');
    const sub = await openRedis(redisUrl, 'pubsub', 'adapter-sub');
    connections.clients.push(pub, sub);
    return createAdapter(pub, sub, { key: `${redisKeyPrefix}socket.io` });
  },
};

class EngineLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(CHAT_ENGINE) private readonly engine: ChatEngine,
    private readonly connections: AdapterConnections,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.engine.close();
    // QUIT on a connection that is down would wait for Redis behind the commands queued meanwhile.
    await Promise.all(
      this.connections.clients.map((c) =>
        c.status === 'ready' ? c.quit().catch(() => c.disconnect()) : Promise.resolve(c.disconnect()),
      ),
    );
  }
}

@Global()
@Module({
  providers: [
    AdapterConnections,
    { provide: InstanceIdentity, inject: [AppConfig], useFactory: (c: AppConfig) => new InstanceIdentity(c) },
    engineProvider,
    adapterProvider,
    EngineLifecycle,
  ],
  exports: [CHAT_ENGINE, SOCKET_ADAPTER, InstanceIdentity, AdapterConnections],
})
export class EngineModule {}
