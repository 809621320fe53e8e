import { MAX_PAYLOAD_DEPTH, nestsDeeperThan } from './app-validation.pipe.js';

/** Arrays nested `depth` levels deep around a string. */
function nested(depth: number): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i += 1) {
    value = [value];
  }
  return value;
}

describe('nestsDeeperThan', () => {
  it('accepts flat and shallow payloads', () => {
    expect(nestsDeeperThan('text', 2)).toBe(false);
    expect(nestsDeeperThan({ roomId: 'r', since: { seq: 1, epoch: 'e' } }, 2)).toBe(false);
    expect(nestsDeeperThan({ a: nested(MAX_PAYLOAD_DEPTH - 1) }, MAX_PAYLOAD_DEPTH)).toBe(false);
  });

  it('finds a deep branch, however deep, without recursion', () => {
    expect(nestsDeeperThan({ a: 1, b: { c: nested(MAX_PAYLOAD_DEPTH) } }, MAX_PAYLOAD_DEPTH)).toBe(true);
    expect(nestsDeeperThan(nested(200_000), MAX_PAYLOAD_DEPTH)).toBe(true);
  });
});
