/** The first millisecond of the year 10000: from there on toISOString writes a six-digit year. */
const YEAR_10000 = 253_402_300_800_000;

/** The second that `prefix` formats, and `YYYY-MM-DDTHH:mm:ss.` of it. */
let cachedSecond = Number.NaN;
let cachedPrefix = '';

/**
 * `new Date(time).toISOString()`, with the date and time up to the second formatted once per
 * second: every message carries its `sentAt` this way, in the ack and in the broadcast, and V8
 * formats a date through a printf (some 7,000 instructions each, bench/instructions.mjs showed).
 * Times outside years 0-9999 and fractional ones go to toISOString itself (which throws a
 * RangeError for an invalid time, as before).
 */
export function isoTime(time: number): string {
  if (!Number.isInteger(time) || time < 0 || time >= YEAR_10000) {
    return new Date(time).toISOString();
  }
  const millisecond = time % 1000;
  const second = time - millisecond;
  if (second !== cachedSecond) {
    cachedPrefix = new Date(second).toISOString().slice(0, 20);
    cachedSecond = second;
  }
  return cachedPrefix + (millisecond < 10 ? '00' : millisecond < 100 ? '0' : '') + String(millisecond) + 'Z';
}
