import { getMetadataStorage } from 'class-validator';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ADMIN_UI_DIST } from '../../src/admin/admin-console.module.js';
import { buildAppConfig } from '../../src/config/app-config.js';
import { EnvironmentVariables, parseEnvironment } from '../../src/config/env.schema.js';
import { TEST_ENV } from '../utils/app.js';
import {
  argsOf,
  composeHealthcheck,
  dependenciesOf,
  durationSeconds,
  environmentOf,
  healthcheckCommand,
  healthcheckTarget,
  knownVariables,
  loadCompose,
  loadDockerfile,
  parleyServicesOf,
  parseEnvExample,
  readRepoFile,
  REPO_ROOT,
} from '../utils/deploy-files.js';
import {
  findNginx,
  NGINX_PLACEHOLDERS,
  readNginxTemplate,
  renderNginxConfig,
  templatePlaceholders,
  UPSTREAM_SERVER_PARAMS,
  writeLoopbackNginxConfig,
} from '../utils/nginx-template.js';

/**
 * Drift checks of the deployment files (Dockerfile, docker-compose.yml, .env.example,
 * deploy/nginx/nginx.conf.template) against the config schema, the server's routes and each
 * other. They cannot be run here (no Docker engine); deployment-stack.e2e-spec.ts runs the compose
 * deployment's instances and nginx config on loopback.
 */
const known = knownVariables();
const defaults = new EnvironmentVariables() as unknown as Record<string, unknown>;
const envExample = parseEnvExample(readRepoFile('.env.example'));
const stages = loadDockerfile();
const runtime = stages[stages.length - 1];
const compose = loadCompose();
const parleyServices = parleyServicesOf(compose);
const nginxService = compose.services.nginx;
const template = readNginxTemplate();
const dockerHealth = healthcheckTarget(healthcheckCommand(argsOf(runtime, 'HEALTHCHECK')[0] ?? ''));
const REQUIRED_IN_PRODUCTION = ['JWT_SECRET', 'ADMIN_USERNAME', 'ADMIN_PASSWORD'];

/** The arguments of a directive inside the first `location <match> { ... }` block of the template. */
function locationDirective(match: string, directive: string): string | undefined {
  const block = template.split(`location ${match} {`)[1]?.split('}')[0] ?? '';
  return new RegExp(`^\\s*${directive}\\s+([^;]+);`, 'm').exec(block)?.[1];
}

describe('deployment files', () => {
  describe('configuration variables', () => {
    it('the known list covers every validated property of the schema', () => {
      const validated = getMetadataStorage()
        .getTargetValidationMetadatas(EnvironmentVariables, '', true, false)
        .map((m) => m.propertyName);
      expect([...new Set(validated)].sort()).toEqual([...known].sort());
    });

    it('.env.example lists every variable the server knows, and nothing else', () => {
      expect(envExample.map((l) => l.name).sort()).toEqual([...known].sort());
    });

    it(".env.example's commented values are the schema's defaults", () => {
      for (const { name, value } of envExample.filter((l) => l.commented && defaults[l.name] !== undefined)) {
        expect(`${name}=${value}`).toBe(`${name}=${String(defaults[name])}`);
      }
    });

    it(".env.example's uncommented lines are the production-required ones, with placeholders the server refuses", () => {
      const filled = envExample.filter((l) => !l.commented);
      expect(filled.map((l) => l.name).sort()).toEqual([...REQUIRED_IN_PRODUCTION].sort());
      const raw = Object.fromEntries(filled.map((l) => [l.name, l.value]));
      expect(() => parseEnvironment(raw)).toThrow(/JWT_SECRET[\s\S]*ADMIN_PASSWORD/);
    });

    it.each(parleyServices)('%s sets only known variables, with values the server accepts', (_, service) => {
      const env = environmentOf(service);
      expect(Object.keys(env).filter((name) => !known.includes(name))).toEqual([]);
      const config = buildAppConfig({ ...TEST_ENV, ...env });
      expect(config).toMatchObject({ env: 'production', engine: { kind: 'redis' }, http: { trustProxy: 1 } });
    });
  });

  describe('Dockerfile', () => {
    it('builds in one node:20-bookworm-slim stage and runs in another', () => {
      expect(stages.map((s) => s.from)).toEqual(['node:20-bookworm-slim AS build', 'node:20-bookworm-slim AS runtime']);
      expect(argsOf(stages[0], 'RUN')).toEqual(
        expect.arrayContaining(['npm ci --no-audit --no-fund', 'npm run build']),
      );
    });

    it('installs production dependencies only, without the console workspace', () => {
      const installs = argsOf(runtime, 'RUN').filter((r) => r.includes('npm ci'));
      expect(installs).toHaveLength(1);
      expect(installs[0]).toMatch(/--omit=dev\b/);
      expect(installs[0]).toMatch(/--workspaces=false\b/);
      expect(argsOf(runtime, 'RUN').join('\n')).not.toMatch(/npm run build/);
    });

    it('the flags of that install drop nothing the server needs', () => {
      type Entry = Record<string, unknown> & { dev?: boolean; optional?: boolean; devOptional?: boolean };
      const lock = JSON.parse(readRepoFile('package-lock.json')) as { packages: Record<string, Entry> };
      const prod = Object.entries(lock.packages).filter(([path, p]) => path !== '' && !p.dev && !p.devOptional);
      // --omit=optional: no production package is optional ("devOptional" = dev, or an optional peer).
      expect(prod.filter(([, p]) => p.optional).map(([path]) => path)).toEqual([]);
      // --ignore-scripts: the one install script of the production tree is a telemetry ping.
      const scripts = prod.filter(([path, p]) => p.hasInstallScript && !path.startsWith('admin-ui'));
      expect(scripts.map(([path]) => path)).toEqual(['node_modules/@scarf/scarf']);
    });

    it('lays the build out as in the repository, where the server looks for the console', () => {
      expect(argsOf(runtime, 'WORKDIR')).toEqual(['/app']);
      const copies = argsOf(runtime, 'COPY');
      expect(copies).toEqual(
        expect.arrayContaining([
          'package.json package-lock.json ./',
          '--from=build /app/dist ./dist',
          '--from=build /app/admin-ui/dist ./admin-ui/dist',
        ]),
      );
      expect(relative(REPO_ROOT, ADMIN_UI_DIST)).toBe(join('admin-ui', 'dist'));
    });

    it('runs node dist/main.js as the non-root node user, in production, stopped by SIGTERM', () => {
      expect(argsOf(runtime, 'USER').at(-1)).toBe('node');
      expect(argsOf(runtime, 'ENV').join(' ')).toMatch(/\bNODE_ENV=production\b/);
      expect(argsOf(runtime, 'STOPSIGNAL')).toEqual(['SIGTERM']);
      expect(JSON.parse(argsOf(runtime, 'CMD')[0])).toEqual(['node', 'dist/main.js']);
    });

    it("exposes the schema's default PORT and checks readiness with node", () => {
      expect(argsOf(runtime, 'EXPOSE')).toEqual([String(defaults.PORT)]);
      const command = healthcheckCommand(argsOf(runtime, 'HEALTHCHECK')[0]);
      expect(command.slice(0, 2)).toEqual(['node', '-e']);
      expect(dockerHealth).toEqual({ port: String(defaults.PORT), path: '/health/ready' });
    });

    it('.dockerignore keeps host builds, dependencies and secrets out of the context', () => {
      const ignored = readRepoFile('.dockerignore').split('\n');
      expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', 'admin-ui/dist', '.git', '.env']));
    });
  });

  describe('docker-compose.yml', () => {
    it('runs two instances of this repository on the redis engine, after Redis is healthy', () => {
      expect(parleyServices.map(([name]) => name)).toEqual(['parley-1', 'parley-2']);
      for (const [, service] of parleyServices) {
        const env = environmentOf(service);
        expect(service.build).toBe('.');
        expect([service.env_file].flat()).toContain('.env');
        expect(env).toMatchObject({ CHAT_ENGINE: 'redis', REDIS_URL: 'redis://redis:6379/0', TRUST_PROXY: '1' });
        expect(env).toMatchObject({ HOST: '0.0.0.0', PORT: argsOf(runtime, 'EXPOSE')[0] });
        expect(healthcheckTarget(composeHealthcheck(service)).port).toBe(env.PORT);
        expect(dependenciesOf(service)).toEqual({ redis: 'service_healthy' });
        expect(service.restart).toBe('unless-stopped');
        // Room for the graceful shutdown: handing the clients over takes up to SHUTDOWN_TIMEOUT_MS.
        const shutdownMs = Number(env.SHUTDOWN_TIMEOUT_MS ?? defaults.SHUTDOWN_TIMEOUT_MS);
        expect(durationSeconds(service.stop_grace_period ?? '0') * 1000).toBeGreaterThan(shutdownMs);
      }
    });

    it('keeps Redis data in a volume, in an append-only file, never evicting', () => {
      const redis = compose.services.redis;
      expect(redis.image).toMatch(/^redis:7/);
      const command = [redis.command ?? []].flat().join(' ');
      expect(command).toMatch(/--appendonly yes\b/);
      expect(command).toMatch(/--maxmemory-policy noeviction\b/);
      expect(redis.volumes).toContain('redis-data:/data');
      expect(Object.keys(compose.volumes ?? {})).toContain('redis-data');
      expect(composeHealthcheck(redis).join(' ')).toMatch(/redis-cli ping/);
    });

    it('nginx renders the template as its nginx.conf, in front of every instance once healthy', () => {
      const env = environmentOf(nginxService);
      expect(nginxService.image).toMatch(/^nginx:/);
      expect(nginxService.volumes).toContain(
        './deploy/nginx/nginx.conf.template:/etc/nginx/templates/nginx.conf.template:ro',
      );
      expect(env.NGINX_ENVSUBST_OUTPUT_DIR).toBe('/etc/nginx');
      expect(nginxService.ports).toEqual([`8080:${env.LISTEN}`]);
      expect(Object.keys(env)).toEqual(expect.arrayContaining([...NGINX_PLACEHOLDERS]));
      const parleys = parleyServices.map(([name]) => [name, 'service_healthy']);
      expect(dependenciesOf(nginxService)).toEqual(Object.fromEntries(parleys));
      const servers = env.PARLEY_UPSTREAMS.split(';').map((s) => s.trim().replace(/\s+/g, ' '));
      const expected = parleyServices.map(
        ([name, s]) => `server ${name}:${environmentOf(s).PORT} ${UPSTREAM_SERVER_PARAMS}`,
      );
      expect(servers.filter((s) => s !== '')).toEqual(expected);
    });

    it("renders like the nginx image's envsubst, with nothing left to fill", () => {
      const env = environmentOf(nginxService);
      const rendered = renderNginxConfig(env);
      expect(rendered).not.toMatch(/\$\{/);
      if (existsSync('/usr/bin/envsubst')) {
        // The image substitutes every name defined in its environment (its own ones included).
        const imageEnv = { PATH: '/usr/bin:/bin', HOME: '/root', HOSTNAME: 'nginx', NGINX_VERSION: '1.27.5', ...env };
        const names = Object.keys(imageEnv)
          .map((n) => `\${${n}}`)
          .join(' ');
        expect(execFileSync('/usr/bin/envsubst', [names], { input: template, env: imageEnv }).toString()).toBe(
          rendered,
        );
      }
    });
  });

  describe('nginx template', () => {
    it('uses exactly the documented placeholders, never in a comment', () => {
      expect(templatePlaceholders().sort()).toEqual([...NGINX_PLACEHOLDERS].sort());
      expect(template.split('\n').filter((l) => l.trim().startsWith('#') && l.includes('${'))).toEqual([]);
      // nginx variables are lower case: no environment variable name (upper case) can clash.
      expect(template.match(/\$(?!\{)\w*[A-Z]\w*/g)).toBeNull();
    });

    it('passes WebSocket upgrades and the forwarded client address and scheme', () => {
      expect(template).toMatch(/map \$http_upgrade \$connection_upgrade \{/);
      expect(template).toMatch(/proxy_http_version 1\.1;/);
      expect(template).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
      expect(template).toMatch(/proxy_set_header Connection \$connection_upgrade;/);
      expect(template).toMatch(/proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
      expect(template).toMatch(/proxy_set_header X-Forwarded-Proto \$scheme;/);
      expect(template).toMatch(/proxy_set_header Host \$host;/);
    });

    it('keeps a client on one instance (Socket.IO long-polling) and fails over quickly', () => {
      const upstream = template.split('upstream parley {')[1]?.split('}')[0] ?? '';
      expect(upstream).toMatch(/^\s*hash \$remote_addr consistent;/m);
      expect(template).toMatch(/proxy_next_upstream error timeout;/);
      const connect = /proxy_connect_timeout (\w+);/.exec(template)?.[1] ?? '60s';
      expect(durationSeconds(connect)).toBeLessThanOrEqual(5);
    });

    it('serves /socket.io/ unbuffered, with timeouts for long-lived sockets', () => {
      expect(locationDirective('/socket.io/', 'proxy_buffering')).toBe('off');
      for (const timeout of ['proxy_read_timeout', 'proxy_send_timeout']) {
        expect(durationSeconds(locationDirective('/socket.io/', timeout) ?? '60s')).toBeGreaterThanOrEqual(3600);
      }
    });

    it("accepts bodies up to the server's MAX_PAYLOAD_BYTES, which answers the precise error", () => {
      const [, size, unit] = /client_max_body_size (\d+)([km]?);/.exec(template) ?? [];
      const bytes = Number(size) * ({ k: 1024, m: 1024 * 1024 }[unit] ?? 1);
      expect(bytes).toBeGreaterThanOrEqual(Number(defaults.MAX_PAYLOAD_BYTES));
    });

    const nginx = findNginx();
    it('nginx -t accepts the loopback rendering', () => {
      expect(nginx).toBeDefined();
      const dir = mkdtempSync(join(tmpdir(), 'parley-nginx-'));
      try {
        const { args } = writeLoopbackNginxConfig(dir, '127.0.0.1:18080', ['127.0.0.1:1', '127.0.0.1:2']);
        expect(() => execFileSync(nginx ?? 'nginx', ['-t', ...args], { stdio: 'pipe' })).not.toThrow();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
