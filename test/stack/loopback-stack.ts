import request from 'supertest';
import { TEST_ENV } from '../utils/app.js';
import { findNginx, startLoopbackNginx, type RunningNginx } from '../utils/nginx-template.js';
import { freePort, startRedis, type TestRedis } from '../utils/redis-server.mjs';
import { exited, spawnServer, type ServerProcess } from '../utils/server-process.js';

/** One Parley instance of the stack: a built server (`node dist/main.js`) in its own process. */
export interface StackInstance extends ServerProcess {
  /** host:port, as nginx's upstream names it. */
  address: string;
  /** Sends SIGTERM and resolves once the process has ended, with how it ended. */
  terminate(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface LoopbackStack {
  redis: TestRedis;
  instances: StackInstance[];
  nginx: RunningNginx;
  /** The load balancer's address: what clients use. */
  url: string;
  stop(): Promise<void>;
}

/** What docker-compose.yml sets, on loopback: the redis engine, one trusted proxy (nginx). */
function instanceEnv(redisUrl: string, port: number): Record<string, string> {
  return {
    ...TEST_ENV,
    NODE_ENV: 'production',
    LOG_LEVEL: 'log',
    NO_COLOR: '1',
    HOST: '127.0.0.1',
    PORT: String(port),
    CHAT_ENGINE: 'redis',
    REDIS_URL: redisUrl,
    TRUST_PROXY: '1',
    HEARTBEAT_INTERVAL_MS: '200',
    INSTANCE_TTL_MS: '2000',
    SHUTDOWN_TIMEOUT_MS: '5000',
  };
}

async function startInstance(redisUrl: string): Promise<StackInstance> {
  const port = await freePort();
  const server = await spawnServer(instanceEnv(redisUrl, port));
  const deadline = Date.now() + 10_000;
  while (
    (await request(server.url)
      .get('/health/ready')
      .then(
        (r) => r.status,
        () => 0,
      )) !== 200
  ) {
    if (Date.now() > deadline) {
      throw new Error(`${server.url} never became ready`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const terminate = async (): Promise<{ code: number | null; signal: NodeJS.Signals | null }> => {
    if (server.proc.exitCode === null && server.proc.signalCode === null) {
      server.proc.kill('SIGTERM');
    }
    await exited(server.proc);
    return { code: server.proc.exitCode, signal: server.proc.signalCode };
  };
  return { ...server, address: `127.0.0.1:${port}`, terminate };
}

/**
 * The docker-compose topology on loopback: redis-server with append-only persistence, `count`
 * built Parley instances and nginx with deploy/nginx/nginx.conf.template in front of them.
 * Everything it starts, it stops (by process, never by name).
 */
export async function startLoopbackStack(count = 2): Promise<LoopbackStack> {
  const nginxPath = findNginx();
  if (nginxPath === undefined) {
    throw new Error('nginx is not installed (apt-get install -y nginx; .ci/run does it)');
  }
  const redis = await startRedis({ persistent: true });
  const instances: StackInstance[] = [];
  try {
    for (let i = 0; i < count; i += 1) {
      instances.push(await startInstance(redis.url));
    }
    const nginx = await startLoopbackNginx(
      nginxPath,
      instances.map((instance) => instance.address),
    );
    const stop = async (): Promise<void> => {
      await nginx.stop();
      await Promise.all(instances.map((instance) => instance.terminate()));
      await redis.dispose();
    };
    return { redis, instances, nginx, url: nginx.url, stop };
  } catch (error) {
    await Promise.all(instances.map((instance) => instance.terminate()));
    await redis.dispose();
    throw error;
  }
}
