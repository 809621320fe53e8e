import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { useChatApp } from './utils/harness.js';

/** Debian's interpreter: it has python3-socketio, python3-websocket and python3-requests. */
const PYTHON = '/usr/bin/python3';
const CLIENT = fileURLToPath(new URL('./wire/contract_client.py', import.meta.url));

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runClient(url: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [CLIENT, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** API.md §2–§6 as seen by an independent, non-JavaScript Socket.IO client (python-socketio). */
describe('wire contract (python-socketio client)', () => {
  const t = useChatApp();

  it('follows API.md with the documented wire names and shapes', async () => {
    const run = await runClient(t.url);
    if (run.code !== 0) {
      // The script names every failed check on stdout; stderr holds Python tracebacks.
      console.error(
        `contract_client.py exited with ${run.code ?? run.signal}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`,
      );
    }
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/wire contract: \d+ checks passed/);
  }, 60_000);
});
