import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { EnvironmentVariables } from '../../src/config/env.schema.js';

/** Readers for the deployment files (Dockerfile, docker-compose.yml, .env.example) and the schema. */

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function readRepoFile(path: string): string {
  return readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
}

/**
 * The variables parseEnvironment (src/config/env.schema.ts) reads, found the same way: the schema
 * instance's keys plus the optional ones it names (env.schema.ts exports no list of them).
 */
export const OPTIONAL_VARIABLES = ['JWT_SECRET', 'REDIS_URL', 'ADMIN_USERNAME', 'ADMIN_PASSWORD'];

export function knownVariables(): string[] {
  return [...new Set([...Object.keys(new EnvironmentVariables()), ...OPTIONAL_VARIABLES])];
}

export interface DockerInstruction {
  keyword: string;
  args: string;
}

export interface DockerStage {
  /** The FROM line's arguments, e.g. `node:20-bookworm-slim AS build`. */
  from: string;
  instructions: DockerInstruction[];
}

/** The stages of a Dockerfile: continuation lines joined, comments dropped. */
export function parseDockerfile(text: string): DockerStage[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) {
      continue;
    }
    pending += pending === '' ? line : ` ${line}`;
    if (pending.endsWith('\\')) {
      pending = pending.slice(0, -1).trimEnd();
    } else {
      logical.push(pending);
      pending = '';
    }
  }
  const stages: DockerStage[] = [];
  for (const line of logical) {
    const [, keyword, args] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    if (keyword === undefined || args === undefined) {
      throw new Error(`Dockerfile: cannot read "${line}"`);
    }
    if (keyword.toUpperCase() === 'FROM') {
      stages.push({ from: args, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

/** The arguments of every `keyword` instruction of a stage, in order. */
export function argsOf(stage: DockerStage, keyword: string): string[] {
  return stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
}

/** The image's stages (the last one is what runs). */
export function loadDockerfile(): DockerStage[] {
  return parseDockerfile(readRepoFile('Dockerfile'));
}

/** A HEALTHCHECK's command, from its exec form (`CMD ["node", "-e", "..."]`). */
export function healthcheckCommand(args: string): string[] {
  const json = /\bCMD\s+(\[.*\])\s*$/.exec(args)?.[1];
  if (json === undefined) {
    throw new Error(`HEALTHCHECK: expected the exec form CMD [...], got ${args}`);
  }
  return JSON.parse(json) as string[];
}

/**
 * Where a health check command sends its request: `http://host:<port>/<path>` written out, or
 * `'http://host:'+(process.env.PORT||<port>)+'/<path>'` (the port the server listens on).
 */
export function healthcheckTarget(command: readonly string[]): { port: string; path: string } {
  const line = command.join(' ');
  const m =
    /http:\/\/[^/:'"\s]+:(\d+)(\/[^'"\s)]*)/.exec(line) ??
    /http:\/\/[^/:'"\s]+:'\s*\+\s*\(process\.env\.PORT\s*\|\|\s*(\d+)\)\s*\+\s*'(\/[^'"\s)]*)/.exec(line);
  if (m === null) {
    throw new Error(`no URL in health check ${JSON.stringify(command)}`);
  }
  return { port: m[1], path: m[2] };
}

export interface EnvExampleLine {
  name: string;
  value: string;
  /** A commented line shows a default; an uncommented one must be filled in. */
  commented: boolean;
}

/** The `NAME=value` and `# NAME=value` lines of .env.example. */
export function parseEnvExample(text: string): EnvExampleLine[] {
  return text.split('\n').flatMap((line) => {
    const m = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    return m ? [{ name: m[2], value: m[3], commented: m[1] !== undefined }] : [];
  });
}

export interface ComposeService {
  build?: unknown;
  image?: string;
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  env_file?: string | (string | { path: string })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
  volumes?: (string | { source?: string; target?: string })[];
  ports?: (string | number)[];
  restart?: string;
  stop_grace_period?: string;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export function loadCompose(): ComposeFile {
  return parse(readRepoFile('docker-compose.yml')) as ComposeFile;
}

/** The services built from this repository: the Parley instances. */
export function parleyServicesOf(compose: ComposeFile): [string, ComposeService][] {
  return Object.entries(compose.services).filter(([, s]) => s.build !== undefined);
}

/** A service's environment as strings, from either the map or the list form. */
export function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((entry) => [entry.split('=')[0], entry.slice(entry.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** The services a depends_on entry waits for, with their condition. */
export function dependenciesOf(service: ComposeService): Record<string, string | undefined> {
  const deps = service.depends_on ?? {};
  return Array.isArray(deps)
    ? Object.fromEntries(deps.map((name) => [name, undefined]))
    : Object.fromEntries(Object.entries(deps).map(([name, d]) => [name, d.condition]));
}

/** A compose health check `test` as one command line (CMD / CMD-SHELL dropped). */
export function composeHealthcheck(service: ComposeService): string[] {
  const test = service.healthcheck?.test ?? [];
  const parts = typeof test === 'string' ? ['CMD-SHELL', test] : test;
  return parts[0] === 'CMD' || parts[0] === 'CMD-SHELL' ? parts.slice(1) : parts;
}

/** A duration such as `15s`, `2m`, `1h30m` or a bare number of seconds, in seconds. */
export function durationSeconds(value: string): number {
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };
  if (/^\d+$/.test(value)) {
    return Number(value);
  }
  let total = 0;
  for (const [, n, unit] of value.matchAll(/(\d+)(ms|s|m|h|d)/g)) {
    total += Number(n) * units[unit];
  }
  return total;
}
