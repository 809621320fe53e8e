// Loaded first into every server process with BENCH_ALLOC_PROFILE=<dir> (see launch.mjs): each SIGUSR2
// starts, then stops, V8's sampling heap profiler with the objects that collections freed kept in
// it, so the profile counts everything allocated meanwhile, garbage included (where the
// scavenges' work comes from). A stop writes <dir>/<pid>-<time>.heapprofile; measureStep sends the
// signals around its measured window. Read it with `node bench/alloc-summary.mjs <file>`.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.BENCH_ALLOC_PROFILE;
const session = new Session();
session.connect();
let sampling = false;
const fail = (/** @type {Error | null} */ error) => {
  if (error) {
    console.error(`alloc-profile: ${error.message}`);
  }
};
process.on('SIGUSR2', () => {
  if (!dir) {
    return;
  }
  if (!sampling) {
    sampling = true;
    session.post('HeapProfiler.enable', (error) => {
      fail(error);
      session.post(
        'HeapProfiler.startSampling',
        { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true },
        fail,
      );
    });
    return;
  }
  sampling = false;
  session.post('HeapProfiler.stopSampling', (error, result) => {
    fail(error);
    if (result) {
      writeFileSync(join(dir, `${process.pid}-${Date.now()}.heapprofile`), JSON.stringify(result.profile));
    }
  });
});
