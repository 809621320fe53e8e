import type { AppConfig } from '../config/app-config.js';
import { PasswordHasher } from './password-hasher.js';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher({ auth: { scryptCost: 1024 } } as AppConfig);

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hasher.hash('correct horse');
    expect(await hasher.verify('correct horse', stored)).toBe(true);
    expect(await hasher.verify('correct horsf', stored)).toBe(false);
  });

  it('salts every hash and never stores the password', async () => {
    const a = await hasher.hash('same password');
    const b = await hasher.hash('same password');
    expect(a).not.toEqual(b);
    expect(a).not.toContain('same password');
    expect(a.split('$').slice(0, 4)).toEqual(['scrypt', '1024', '8', '1']);
  });

  it('keeps verifying hashes made with another cost', async () => {
    const strong = new PasswordHasher({ auth: { scryptCost: 2048 } } as AppConfig);
    expect(await hasher.verify('pw', await strong.hash('pw'))).toBe(true);
  });

  it('refuses malformed stored hashes and unknown users', async () => {
    expect(await hasher.verify('pw', 'plain-text')).toBe(false);
    expect(await hasher.verify('pw', 'bcrypt$1$2$3$abc$def')).toBe(false);
    expect(await hasher.verifyDecoy('pw')).toBe(false);
  });
});
