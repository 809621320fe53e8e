import request from 'supertest';
import { TEST_ENV } from '../utils/app.js';
import { useCluster, type ClusterNode } from '../utils/cluster.js';

const ADMIN = { username: TEST_ENV.ADMIN_USERNAME, password: TEST_ENV.ADMIN_PASSWORD };

const login = (node: ClusterNode, body: object, ip = '127.0.0.1') =>
  request(node.url).post('/api/v1/admin/login').set('X-Forwarded-For', ip).send(body);

const adminToken = async (node: ClusterNode, ip?: string): Promise<string> => {
  const res = await login(node, ADMIN, ip);
  expect(res.status).toBe(200);
  return res.body.accessToken as string;
};

const instanceIds = async (node: ClusterNode, token: string): Promise<string[]> => {
  const res = await request(node.url).get('/api/v1/admin/instances').set('Authorization', `Bearer ${token}`);
  expect(res.status).toBe(200);
  expect(res.body.nextCursor).toBeNull();
  return (res.body.items as { id: string }[]).map((i) => i.id).sort();
};

/** API.md §7 with two instances on one Redis: the admin sees, and is throttled by, the whole cluster. */
describe('admin API across two instances', () => {
  const cluster = useCluster({
    HEARTBEAT_INTERVAL_MS: '200',
    INSTANCE_TTL_MS: '1000',
    ADMIN_LOGIN_MAX_FAILURES: '3',
    TRUST_PROXY: 'true',
  });
  const a = (): ClusterNode => cluster.nodes[0];
  const b = (): ClusterNode => cluster.nodes[1];

  it('lists both instances on either instance, and an admin token from A works on B', async () => {
    const token = await adminToken(a());
    const onA = await instanceIds(a(), token);
    const onB = await instanceIds(b(), token);
    expect(onA).toHaveLength(2);
    expect(new Set(onA).size).toBe(2);
    expect(onB).toEqual(onA);
  });

  // Locks "admin" for the rest of the window: keep it last.
  it('shares the failed-login throttle: failures spread over both instances lock the username on both', async () => {
    const wrong = { ...ADMIN, password: 'wrong-password' };
    // One client IP per attempt: only the (shared) username counter can lock.
    const failures: [ClusterNode, string][] = [
      [a(), '198.51.100.1'],
      [b(), '198.51.100.2'],
      [a(), '198.51.100.3'],
    ];
    for (const [node, ip] of failures) {
      const res = await login(node, wrong, ip);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('INVALID_CREDENTIALS');
    }
    // Even the right password, from fresh IPs, is now refused on both instances.
    for (const [node, ip] of [
      [a(), '198.51.100.4'],
      [b(), '198.51.100.5'],
    ] as const) {
      const res = await login(node, ADMIN, ip);
      expect(res.status).toBe(429);
      expect(res.body.code).toBe('RATE_LIMITED');
      expect(res.body.details.retryAfterMs).toBeGreaterThan(0);
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
  });
});
