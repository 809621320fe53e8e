import request from 'supertest';
import { RealtimeService } from '../../src/realtime/realtime.service.js';
import { pollUntil } from '../utils/admin.js';
import { connect, emitAck, guest } from '../utils/clients.js';
import { useCluster } from '../utils/cluster.js';
import {
  argsOf,
  composeHealthcheck,
  environmentOf,
  healthcheckCommand,
  healthcheckTarget,
  loadCompose,
  loadDockerfile,
  parleyServicesOf,
} from '../utils/deploy-files.js';
import { findNginx, startLoopbackNginx } from '../utils/nginx-template.js';

/**
 * The deployment of docker-compose.yml on loopback: its two instances (its environment, on the test
 * Redis) and, when nginx is installed, deploy/nginx/nginx.conf.template in front of them.
 */
const runtime = loadDockerfile().at(-1)!;
const dockerHealth = healthcheckTarget(healthcheckCommand(argsOf(runtime, 'HEALTHCHECK')[0] ?? ''));
const parleyServices = parleyServicesOf(loadCompose());
const composeHealth = parleyServices.map(([, s]) => healthcheckTarget(composeHealthcheck(s)));
// Test mode and the test Redis; the rest (engine, TRUST_PROXY) as in docker-compose.yml.
const composeEnv = Object.fromEntries(
  Object.entries(environmentOf(parleyServices[0][1])).filter(([name]) => !['REDIS_URL', 'NODE_ENV'].includes(name)),
);
const nginx = findNginx();

describe('the compose deployment, on loopback', () => {
  const cluster = useCluster(composeEnv, 2);

  it.each([...new Set([dockerHealth, ...composeHealth].map((target) => target.path))])(
    'the health check path %s answers 200',
    async (path) => {
      for (const node of cluster.nodes) {
        await request(node.url).get(path).expect(200);
      }
    },
  );

  it('through nginx: health, WebSocket and long-polling sessions', async () => {
    // CI installs nginx (.ci/run); without it this deployment is not tested, so the test fails.
    expect(nginx).toBeDefined();
    const proxy = await startLoopbackNginx(
      nginx ?? 'nginx',
      cluster.nodes.map((node) => new URL(node.url).host),
    );
    try {
      await request(proxy.url).get('/nginx-health').expect(200, 'ok\n');
      await request(proxy.url).get(dockerHealth.path).expect(200);
      const { accessToken } = await guest(proxy.url, 'through-nginx');
      // Long-polling: every request of the session must reach the instance holding it (affinity).
      for (const transports of [['websocket'], ['polling']]) {
        const socket = await connect(proxy.url, accessToken, { transports });
        try {
          const ack = await emitAck(socket, 'room:join', { roomId: 'no-such-room' });
          expect(ack).toMatchObject({ ok: false, error: { code: expect.any(String) } });
        } finally {
          socket.close();
        }
      }
      // The instances see the polling session end (a request through nginx) before nginx stops;
      // otherwise they would wait for it when they shut down.
      const open = () => Promise.resolve(cluster.nodes.map((n) => n.app.app.get(RealtimeService).chat.sockets.size));
      expect(await pollUntil(open, (sizes) => sizes.every((s) => s === 0))).toEqual([0, 0]);
    } finally {
      await proxy.stop();
    }
  });
});
