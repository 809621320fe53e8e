import { newId } from './ids.js';

describe('newId', () => {
  it('gives 16 URL-safe characters, never the same twice, across refills of its random pool', () => {
    const ids = Array.from({ length: 5000 }, () => newId());
    expect(ids.every((id) => /^[A-Za-z0-9_-]{16}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
