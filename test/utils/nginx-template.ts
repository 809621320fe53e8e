import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nginx config used both by docker-compose.yml and by loopback tests and scripts. */
export const NGINX_TEMPLATE_PATH = fileURLToPath(new URL('../../deploy/nginx/nginx.conf.template', import.meta.url));

/** Every placeholder of the template (docker-compose.yml's nginx service sets each one). */
export const NGINX_PLACEHOLDERS = [
  'LISTEN',
  'PARLEY_UPSTREAMS',
  'PID_PATH',
  'TEMP_DIR',
  'ERROR_LOG',
  'ACCESS_LOG',
] as const;
export type NginxTemplateVars = Record<(typeof NGINX_PLACEHOLDERS)[number], string>;

/**
 * What follows each upstream address: one failed connect takes the instance out for two seconds
 * (docker-compose.yml writes the same; the deployment test checks it).
 */
export const UPSTREAM_SERVER_PARAMS = 'max_fails=1 fail_timeout=2s';

/** `${NAME}`, as envsubst substitutes it. nginx's own variables never use braces in the template. */
const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function readNginxTemplate(): string {
  return readFileSync(NGINX_TEMPLATE_PATH, 'utf8');
}

/** The placeholder names the template uses, each once, in order of appearance. */
export function templatePlaceholders(template = readNginxTemplate()): string[] {
  return [...new Set(Array.from(template.matchAll(PLACEHOLDER), (m) => m[1]))];
}

/**
 * Fills the template's `${NAME}` placeholders, as the nginx image's envsubst does at start. Unlike
 * envsubst, a placeholder without a value is an error rather than left in place.
 */
export function renderNginxConfig(vars: Readonly<Record<string, string>>, template = readNginxTemplate()): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) {
      throw new Error(`nginx template: no value for \${${name}}`);
    }
    return value;
  });
}

/** The `server` directives of the upstream for `host:port` addresses. */
export function upstreamServers(addresses: readonly string[]): string {
  return addresses.map((address) => `server ${address} ${UPSTREAM_SERVER_PARAMS};`).join('\n        ');
}

export interface LoopbackNginx {
  /** The directory holding the config, pid file, logs and temp directories (nginx's prefix). */
  dir: string;
  confPath: string;
  errorLogPath: string;
  /** Arguments for `nginx`: add `-t` to test the config, `-g "daemon off;"` to keep it in the foreground. */
  args: string[];
}

/**
 * Renders the template for an unprivileged nginx listening on `listen` (e.g. `127.0.0.1:18080`)
 * in front of `upstreams` (`host:port`), with every file it writes under `dir`, and writes it to
 * `dir/nginx.conf`.
 */
export function writeLoopbackNginxConfig(dir: string, listen: string, upstreams: readonly string[]): LoopbackNginx {
  const tempDir = join(dir, 'temp');
  mkdirSync(tempDir, { recursive: true });
  // Started as root, nginx runs its workers as another user: they must reach the temp directories.
  chmodSync(dir, 0o755);
  const confPath = join(dir, 'nginx.conf');
  const errorLogPath = join(dir, 'error.log');
  const vars: NginxTemplateVars = {
    LISTEN: listen,
    PARLEY_UPSTREAMS: upstreamServers(upstreams),
    PID_PATH: join(dir, 'nginx.pid'),
    TEMP_DIR: tempDir,
    ERROR_LOG: errorLogPath,
    ACCESS_LOG: join(dir, 'access.log'),
  };
  writeFileSync(confPath, renderNginxConfig(vars));
  // -e: the error log before the config is read (the built-in path is not writable unprivileged).
  return { dir, confPath, errorLogPath, args: ['-p', dir, '-c', confPath, '-e', errorLogPath] };
}

/** The nginx binary (`/usr/sbin/nginx` on Debian, else the first on PATH), or undefined. */
export function findNginx(): string | undefined {
  const candidates = ['/usr/sbin/nginx', ...(process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'nginx'))];
  return candidates.find((path) => path !== 'nginx' && existsSync(path));
}

export interface RunningNginx {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** Stops nginx (the process this call started) and removes its directory. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Starts nginx in the foreground on a free loopback port in front of `upstreams` (`host:port`),
 * and resolves once it answers /nginx-health.
 */
export async function startLoopbackNginx(nginx: string, upstreams: readonly string[]): Promise<RunningNginx> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-nginx-'));
  const port = await freePort();
  const { args, errorLogPath } = writeLoopbackNginxConfig(dir, `127.0.0.1:${port}`, upstreams);
  const child = spawn(nginx, [...args, '-g', 'daemon off;'], { stdio: 'ignore' });
  let running = true;
  const exited = new Promise<void>((resolve) => {
    const done = (): void => {
      running = false;
      resolve();
    };
    child.once('exit', done).once('error', done);
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (running) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  while (running) {
    const up = await fetch(`${url}/nginx-health`).then(
      async (r) => (await r.text()) === 'ok\n',
      () => false,
    );
    if (up) {
      return { url, stop };
    }
    if (Date.now() > deadline) {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const log = existsSync(errorLogPath) ? readFileSync(errorLogPath, 'utf8') : '';
  await stop();
  throw new Error(`nginx did not start on ${url}:\n${log}`);
}
