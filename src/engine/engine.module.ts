import { Global, Inject, Logger, Module, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { CHAT_ENGINE, type ChatEngine } from './engine.port.js';
import { MemoryEngine } from './memory/memory.engine.js';

/** The one switch that picks the engine from configuration. */
const engineProvider: Provider = {
  provide: CHAT_ENGINE,
  inject: [AppConfig],
  useFactory: (config: AppConfig): ChatEngine => {
    if (config.engine.kind === 'redis') {
      throw new Error('CHAT_ENGINE=redis: the Redis engine is not part of this build yet; use CHAT_ENGINE=memory');
    }
    new Logger('EngineModule').log('Using the memory engine (single instance; state is lost on restart)');
    return new MemoryEngine();
  },
};

class EngineLifecycle implements OnApplicationShutdown {
  constructor(@Inject(CHAT_ENGINE) private readonly engine: ChatEngine) {}

  async onApplicationShutdown(): Promise<void> {
    await this.engine.close();
  }
}

@Global()
@Module({
  providers: [engineProvider, EngineLifecycle],
  exports: [CHAT_ENGINE],
})
export class EngineModule {}
