// Latency histograms (HDR): recorded in microseconds in the workers, merged by the coordinator.
import * as hdr from 'hdr-histogram-js';

/** Highest latency we can record: 10 minutes, in microseconds (larger values are clamped). */
const HIGHEST_MICROS = 600_000_000;

/** @typedef {{ count: number, p50: number, p90: number, p99: number, p999: number, max: number, mean: number }} LatencySummary */

/** An empty histogram of microseconds, 3 significant digits, plain JS (no WebAssembly). */
export function createHistogram() {
  return hdr.build({
    bitBucketSize: 'packed',
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_MICROS,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
}

/**
 * Records one value in microseconds; values below 1 µs (clock granularity) count as 1.
 * @param {import('hdr-histogram-js').Histogram} histogram
 * @param {number} micros
 */
export function record(histogram, micros) {
  histogram.recordValue(Math.min(HIGHEST_MICROS, Math.max(1, Math.round(micros))));
}

/**
 * The histogram as a string small enough to cross the IPC channel.
 * @param {import('hdr-histogram-js').Histogram} histogram
 */
export function encode(histogram) {
  return hdr.encodeIntoCompressedBase64(histogram);
}

/**
 * One histogram holding every encoded one.
 * @param {string[]} encoded
 */
export function merge(encoded) {
  const total = createHistogram();
  for (const text of encoded) {
    total.add(hdr.decodeFromCompressedBase64(text, 'packed', false));
  }
  return total;
}

/**
 * Percentiles in milliseconds (3 decimals); null figures when nothing was recorded.
 * @param {import('hdr-histogram-js').Histogram} histogram
 * @returns {LatencySummary | null}
 */
export function summarize(histogram) {
  if (histogram.totalCount === 0) {
    return null;
  }
  const ms = (/** @type {number} */ micros) => Math.round(micros) / 1000;
  return {
    count: histogram.totalCount,
    p50: ms(histogram.getValueAtPercentile(50)),
    p90: ms(histogram.getValueAtPercentile(90)),
    p99: ms(histogram.getValueAtPercentile(99)),
    p999: ms(histogram.getValueAtPercentile(99.9)),
    max: ms(histogram.maxValue),
    mean: ms(histogram.mean),
  };
}
