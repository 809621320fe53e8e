import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** A built server (`node dist/main.js`) in its own process, as an operator runs it. */
export interface ServerProcess {
  proc: ChildProcess;
  url: string;
  /** The last 20 KB it wrote (stdout and stderr). */
  output(): string;
}

/** Spawns dist/main.js and resolves once it logged its "Listening on" line. */
export function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  if (!existsSync(MAIN)) {
    throw new Error(`${MAIN} is missing: run \`npm run build\` first (\`npm test\` does it before Jest)`);
  }
  const proc = spawn(process.execPath, [MAIN], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = ''; // shown if the server exits before listening
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  // Both streams are read to the end so that the server never blocks on a full pipe.
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  return new Promise((resolve, reject) => {
    const onData = (): void => {
      if (output.includes('Listening on')) {
        proc.stdout?.off('data', onData);
        proc.off('exit', onExit);
        resolve({ proc, url: `http://${env.HOST}:${env.PORT}`, output: () => output });
      }
    };
    const onExit = (code: number | null, signal: string | null): void => {
      reject(new Error(`dist/main.js exited (code ${code}, signal ${signal}) before listening:\n${output}`));
    };
    proc.stdout?.on('data', onData);
    proc.once('exit', onExit);
    proc.once('error', reject);
  });
}

/** Resolves when the process has exited (at once if it already has). */
export function exited(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => proc.once('exit', () => resolve()));
}
