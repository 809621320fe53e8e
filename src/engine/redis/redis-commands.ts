import { Logger } from '@nestjs/common';
import { ReplyError, type Redis } from 'ioredis';
import { ChatError } from '../../common/errors/chat-error.js';
import { ErrorCode } from '../../common/errors/error-codes.js';
import type { RedisKeys } from './redis-keys.js';
import { MODERATION_SCRIPTS } from './redis-moderation.scripts.js';
import { SCRIPTS } from './redis.scripts.js';

const ALL_SCRIPTS = { ...SCRIPTS, ...MODERATION_SCRIPTS };

export type ScriptName = keyof typeof ALL_SCRIPTS;

/** The engine's command connection with its scripts, and the one place where Redis errors are mapped. */
export class RedisCommands {
  private readonly logger = new Logger('RedisEngine');

  constructor(
    readonly redis: Redis,
    readonly keys: RedisKeys,
  ) {
    for (const [name, lua] of Object.entries(ALL_SCRIPTS)) {
      redis.defineCommand(name, { numberOfKeys: 0, lua });
    }
  }

  script(name: ScriptName, ...args: Array<string | number>): Promise<unknown> {
    const command = (this.redis as unknown as Record<ScriptName, (...a: Array<string | number>) => Promise<unknown>>)[
      name
    ];
    return this.guard(() => command.call(this.redis, this.keys.prefix, ...args));
  }

  /** Runs a Redis call; a connection failure becomes UNAVAILABLE instead of a hang or a 500. */
  async guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof ChatError) {
        throw error;
      }
      if (error instanceof ReplyError) {
        // Redis answered with an error (a script bug, a wrong type): not an outage.
        this.logger.error(`Redis refused a command: ${(error as Error).message}`);
        throw ChatError.internal();
      }
      throw new ChatError(ErrorCode.UNAVAILABLE, 'The chat store is unavailable; try again shortly');
    }
  }
}
