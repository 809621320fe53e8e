// The clock that senders stamp into messages and receivers subtract from.
//
// process.hrtime reads CLOCK_MONOTONIC, which on Linux is one clock for every process of the
// machine: a worker can subtract another worker's stamp directly. (performance.timeOrigin +
// performance.now() is per process: timeOrigin is a wall-clock sample taken at the process's start,
// so two processes can disagree by that sample's error and by NTP slewing since.)

/** Microseconds on the machine-wide monotonic clock. */
export function nowMicros() {
  return Number(process.hrtime.bigint() / 1000n);
}

/** @param {number} ms */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
