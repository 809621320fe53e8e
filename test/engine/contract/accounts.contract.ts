import { newId } from '../../../src/common/ids.js';
import type { AccountRecord } from '../../../src/engine/engine.types.js';
import { count, roomRecord, userRef, type EngineContext } from './fixtures.js';

/** grantAccess, hasAccess, the account methods and ping. */
export function describeAccessAndAccounts(ctx: EngineContext): void {
  describe('grantAccess / hasAccess', () => {
    it('grants one user access to one room', async () => {
      const [room, other] = [roomRecord(ctx.t0), roomRecord(ctx.t0)];
      await ctx.engine.createRoom(room);
      await ctx.engine.createRoom(other);
      const [ada, bob] = [userRef('ada'), userRef('bob')];
      expect(await ctx.engine.hasAccess(room.id, ada.id)).toBe(false);
      await ctx.engine.grantAccess(room.id, ada.id);
      await ctx.engine.grantAccess(room.id, ada.id);
      expect(await ctx.engine.hasAccess(room.id, ada.id)).toBe(true);
      expect(await ctx.engine.hasAccess(room.id, bob.id)).toBe(false);
      expect(await ctx.engine.hasAccess(other.id, ada.id)).toBe(false);
    });

    it('keeps the grant after the user leaves the room', async () => {
      const room = roomRecord(ctx.t0);
      await ctx.engine.createRoom(room);
      const ada = userRef('ada');
      await ctx.engine.joinRoom(room.id, ada, 's1', ctx.t0);
      await ctx.engine.grantAccess(room.id, ada.id);
      await ctx.engine.leaveRoom(room.id, ada.id, 's1');
      expect(await ctx.engine.hasAccess(room.id, ada.id)).toBe(true);
    });

    it('knows no grant in an unknown room', async () => {
      expect(await ctx.engine.hasAccess(newId(), newId())).toBe(false);
    });
  });

  describe('accounts', () => {
    const account = (username: string): AccountRecord => ({
      id: newId(),
      username,
      passwordHash: `hash-of-${username}`,
      createdAt: ctx.t0,
    });

    it('stores an account and finds it by id and by name in any case', async () => {
      const ada = account('Ada');
      expect(await ctx.engine.createAccount(ada)).toBe(true);
      expect(await ctx.engine.findAccountById(ada.id)).toEqual(ada);
      expect(await ctx.engine.findAccountByUsername('Ada')).toEqual(ada);
      expect(await ctx.engine.findAccountByUsername('aDA')).toEqual(ada);
    });

    it('finds nothing for an unknown id or name', async () => {
      await ctx.engine.createAccount(account('ada'));
      expect(await ctx.engine.findAccountById(newId())).toBeNull();
      expect(await ctx.engine.findAccountByUsername('bob')).toBeNull();
    });

    it('refuses a name already taken, whatever its case', async () => {
      const ada = account('Ada');
      await ctx.engine.createAccount(ada);
      const copycat = account('ADA');
      expect(await ctx.engine.createAccount(copycat)).toBe(false);
      expect(await ctx.engine.findAccountById(copycat.id)).toBeNull();
      expect(await ctx.engine.findAccountByUsername('ada')).toEqual(ada);
    });

    it('compares non-ASCII names case-insensitively too', async () => {
      const elodie = account('Élodie Ørsted');
      expect(await ctx.engine.createAccount(elodie)).toBe(true);
      expect(await ctx.engine.findAccountByUsername('élodie ørsted')).toEqual(elodie);
      expect(await ctx.engine.createAccount(account('ÉLODIE ØRSTED'))).toBe(false);
    });

    it('lets exactly one of racing registrations take a name', async () => {
      const names = ['zoe', 'Zoe', 'ZOE', 'zOe', 'zoE', 'ZoE'];
      const results = await Promise.all(names.map((name) => ctx.engine.createAccount(account(name))));
      expect(count(results, (created) => created)).toBe(1);
    });

    it('renames an account and frees the old name', async () => {
      const ada = account('ada');
      await ctx.engine.createAccount(ada);
      expect(await ctx.engine.renameAccount(ada.id, 'Lovelace')).toBe('renamed');
      const renamed = { ...ada, username: 'Lovelace' };
      expect(await ctx.engine.findAccountById(ada.id)).toEqual(renamed);
      expect(await ctx.engine.findAccountByUsername('lovelace')).toEqual(renamed);
      expect(await ctx.engine.findAccountByUsername('ada')).toBeNull();
      expect(await ctx.engine.createAccount(account('ADA'))).toBe(true);
    });

    it('lets an account change the case of its own name', async () => {
      const ada = account('ada');
      await ctx.engine.createAccount(ada);
      expect(await ctx.engine.renameAccount(ada.id, 'Ada')).toBe('renamed');
      expect(await ctx.engine.findAccountByUsername('ADA')).toEqual({ ...ada, username: 'Ada' });
    });

    it('refuses a name held by another account', async () => {
      const [ada, bob] = [account('ada'), account('bob')];
      await ctx.engine.createAccount(ada);
      await ctx.engine.createAccount(bob);
      expect(await ctx.engine.renameAccount(ada.id, 'BOB')).toBe('taken');
      expect(await ctx.engine.findAccountById(ada.id)).toEqual(ada);
      expect(await ctx.engine.findAccountByUsername('bob')).toEqual(bob);
      expect(await ctx.engine.findAccountByUsername('ada')).toEqual(ada);
    });

    it('answers missing for an unknown account', async () => {
      expect(await ctx.engine.renameAccount(newId(), 'ghost')).toBe('missing');
      expect(await ctx.engine.findAccountByUsername('ghost')).toBeNull();
    });

    it('lets exactly one of two racing renames take a name', async () => {
      const [ada, bob] = [account('ada'), account('bob')];
      await ctx.engine.createAccount(ada);
      await ctx.engine.createAccount(bob);
      const results = await Promise.all([
        ctx.engine.renameAccount(ada.id, 'star'),
        ctx.engine.renameAccount(bob.id, 'STAR'),
      ]);
      expect([...results].sort()).toEqual(['renamed', 'taken']);
      const holder = await ctx.engine.findAccountByUsername('star');
      expect([ada.id, bob.id]).toContain(holder?.id);
    });
  });

  describe('ping', () => {
    it('resolves while the store answers', async () => {
      await expect(ctx.engine.ping()).resolves.toBeUndefined();
    });
  });
}
