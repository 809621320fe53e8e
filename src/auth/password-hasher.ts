import { Injectable } from '@nestjs/common';
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { AppConfig } from '../config/app-config.js';

const KEY_LENGTH = 32;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;

function scryptAsync(secret: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * Slow salted hashes for account and room passwords: scrypt (OWASP parameters by default) in the
 * self-describing form `scrypt$N$r$p$salt$hash`, compared in constant time.
 */
@Injectable()
export class PasswordHasher {
  /** A hash of a random secret, verified against when an account is unknown so timing reveals nothing. */
  private decoy?: Promise<string>;

  constructor(private readonly config: AppConfig) {}

  async hash(password: string): Promise<string> {
    const cost = this.config.auth.scryptCost;
    const salt = randomBytes(16);
    const key = await scryptAsync(password, salt, KEY_LENGTH, this.options(cost, BLOCK_SIZE, PARALLELISM));
    return ['scrypt', cost, BLOCK_SIZE, PARALLELISM, salt.toString('base64'), key.toString('base64')].join('$');
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, n, r, p, salt, key] = stored.split('$');
    if (scheme !== 'scrypt' || !salt || !key) {
      return false;
    }
    const expected = Buffer.from(key, 'base64');
    const actual = await scryptAsync(
      password,
      Buffer.from(salt, 'base64'),
      expected.length,
      this.options(Number(n), Number(r), Number(p)),
    );
    return timingSafeEqual(actual, expected);
  }

  /** Spends the same time as a real verification and always fails. */
  async verifyDecoy(password: string): Promise<false> {
    this.decoy ??= this.hash(randomBytes(16).toString('hex'));
    await this.verify(password, await this.decoy);
    return false;
  }

  private options(cost: number, blockSize: number, parallelism: number): ScryptOptions {
    // scrypt needs 128 * N * r bytes; leave headroom over Node's 32 MiB default.
    return { N: cost, r: blockSize, p: parallelism, maxmem: 256 * cost * blockSize };
  }
}
