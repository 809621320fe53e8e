// A private redis-server on a free loopback port for the cluster scenario, configured like the
// compose file's (append-only file, fsync every second, noeviction), in a temporary directory.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, killOnExit } from './launch.mjs';

/** @returns {Promise<{ pid: number, url: string, stop: () => Promise<void> }>} */
export async function startRedis() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''];
  args.push('--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction');
  const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  killOnExit(proc);
  let output = '';
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  /** @type {(code: number | null) => void} */
  let onEarlyExit = () => {};
  await new Promise((resolve, reject) => {
    onEarlyExit = (code) => reject(new Error(`redis-server exited (${code}): ${output}`));
    proc.once('error', reject);
    proc.once('exit', onEarlyExit);
    proc.stderr.resume();
    proc.stdout.on('data', (chunk) => {
      output = (output + String(chunk)).slice(-10_000);
      if (output.includes('Ready to accept connections')) {
        resolve(undefined);
      }
    });
  });
  proc.off('exit', onEarlyExit);
  return {
    pid: /** @type {number} */ (proc.pid),
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
