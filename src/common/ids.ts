import { randomFillSync } from 'node:crypto';

const ID_BYTES = 12;
/** Random bytes are drawn from the CSPRNG this many ids at a time: one call per id cost ~10 µs. */
const POOL_IDS = 512;
const pool = Buffer.alloc(ID_BYTES * POOL_IDS);
let offset = pool.length;

/** An unguessable id: 96 random bits, URL-safe (16 characters). */
export function newId(): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const id = pool.toString('base64url', offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return id;
}
