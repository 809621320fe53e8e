import type { AccountRecord } from '../engine.types.js';

/** Accounts of the memory engine; names are unique case-insensitively. */
export class MemoryAccounts {
  private readonly byId = new Map<string, AccountRecord>();
  private readonly idsByName = new Map<string, string>();

  create(account: AccountRecord): boolean {
    const key = account.username.toLowerCase();
    if (this.idsByName.has(key)) {
      return false;
    }
    this.byId.set(account.id, { ...account });
    this.idsByName.set(key, account.id);
    return true;
  }

  findByName(username: string): AccountRecord | null {
    return this.findById(this.idsByName.get(username.toLowerCase()) ?? '');
  }

  findById(id: string): AccountRecord | null {
    const account = this.byId.get(id);
    return account ? { ...account } : null;
  }

  rename(id: string, username: string): 'renamed' | 'taken' | 'missing' {
    const account = this.byId.get(id);
    if (!account) {
      return 'missing';
    }
    const key = username.toLowerCase();
    const holder = this.idsByName.get(key);
    if (holder !== undefined && holder !== id) {
      return 'taken';
    }
    this.idsByName.delete(account.username.toLowerCase());
    this.idsByName.set(key, id);
    account.username = username;
    return 'renamed';
  }
}
