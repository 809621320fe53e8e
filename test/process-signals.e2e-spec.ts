import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { watch } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_ENV } from './utils/app.js';
import { freePort } from './utils/redis-server.mjs';
import { exited, spawnServer, type ServerProcess } from './utils/server-process.js';

/**
 * Operators take heap snapshots of a running instance with Node's `--heapsnapshot-signal=SIGUSR2`
 * (README "Performance"). Only SIGTERM and SIGINT stop an instance: SIGUSR2 must not.
 */
describe('process signals', () => {
  let dir: string;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-signals-'));
    server = await spawnServer({
      ...TEST_ENV,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      NODE_ENV: 'test',
      NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${dir}`,
      LOG_LEVEL: 'log',
      NO_COLOR: '1',
    });
  }, 30_000);

  afterAll(async () => {
    const proc = server?.proc;
    if (proc?.pid !== undefined && proc.exitCode === null && proc.signalCode === null) {
      process.kill(proc.pid, 'SIGKILL');
      await exited(proc);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a heap snapshot on SIGUSR2 and keeps serving; SIGTERM then stops it cleanly', async () => {
    const { proc, url } = server!;
    const created = (async () => {
      for await (const { filename } of watch(dir)) {
        if (filename?.endsWith('.heapsnapshot')) {
          return filename;
        }
      }
      return undefined;
    })();
    process.kill(proc.pid!, 'SIGUSR2');
    const snapshot = await created;
    // The snapshot is written synchronously: once the server answers again, it is complete.
    const live = await fetch(`${url}/health/live`);
    expect(live.status).toBe(200);
    expect(statSync(join(dir, snapshot!)).size).toBeGreaterThan(1_000_000);
    expect([proc.exitCode, proc.signalCode]).toEqual([null, null]);

    process.kill(proc.pid!, 'SIGTERM');
    await exited(proc);
    // Nest runs the shutdown hooks, then ends the process with the signal it got.
    expect([proc.exitCode, proc.signalCode]).toEqual([null, 'SIGTERM']);
    expect(server!.output()).toMatch(/Shutting down: handing 0 client connection\(s\) over/);
  }, 60_000);
});
