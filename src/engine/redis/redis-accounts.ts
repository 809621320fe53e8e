import type { AccountRecord } from '../engine.types.js';
import type { RedisCommands } from './redis-commands.js';

/** Accounts in Redis: a hash per account and one name index (lower-cased name → id). */
export class RedisAccounts {
  constructor(private readonly cmd: RedisCommands) {}

  async create(account: AccountRecord): Promise<boolean> {
    const key = account.username.toLowerCase();
    const args = [account.id, key, account.username, account.passwordHash, account.createdAt];
    return (await this.cmd.script('createAccount', ...args)) === 1;
  }

  async findByName(username: string): Promise<AccountRecord | null> {
    const id = await this.cmd.guard(() => this.cmd.redis.hget(this.cmd.keys.accountsByName, username.toLowerCase()));
    return id === null ? null : this.findById(id);
  }

  async findById(id: string): Promise<AccountRecord | null> {
    const h = await this.cmd.guard(() => this.cmd.redis.hgetall(this.cmd.keys.account(id)));
    if (!h.id) {
      return null;
    }
    return { id: h.id, username: h.username, passwordHash: h.passwordHash, createdAt: Number(h.createdAt) };
  }

  async rename(id: string, username: string): Promise<'renamed' | 'taken' | 'missing'> {
    return (await this.cmd.script('renameAccount', id, username.toLowerCase(), username)) as
      'renamed' | 'taken' | 'missing';
  }
}
