import { Manager, type Socket } from 'socket.io-client';
import request from 'supertest';
import { adminToken } from './utils/admin.js';
import { connect, guest } from './utils/clients.js';
import { useChatApp } from './utils/harness.js';

/** Origins, security headers and payload sizes as a browser or a script meets them. */
describe('hardening', () => {
  const t = useChatApp({ CORS_ORIGINS: 'https://app.example' });

  it('refuses a Socket.IO handshake from a page on an origin CORS_ORIGINS does not list', async () => {
    const ada = await guest(t.url, 'ada');
    await expect(
      connect(t.url, ada.accessToken, { extraHeaders: { Origin: 'https://evil.example' } }),
    ).rejects.toThrow();
    const allowed = await connect(t.url, ada.accessToken, { extraHeaders: { Origin: 'https://app.example' } });
    expect(allowed.connected).toBe(true);
    allowed.close();
    // A client that is not a browser sends no Origin and is let in (it can forge any header anyway).
    const script = await connect(t.url, ada.accessToken);
    expect(script.connected).toBe(true);
    script.close();
  });

  it('answers HTTP CORS preflights for listed origins only', async () => {
    const listed = await request(t.url)
      .options('/api/v1/rooms')
      .set('Origin', 'https://app.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(listed.headers['access-control-allow-origin']).toBe('https://app.example');
    const other = await request(t.url)
      .options('/api/v1/rooms')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends security headers on API answers and no X-Powered-By', async () => {
    const res = await request(t.url).get('/api/v1/rooms').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('refuses a body over MAX_PAYLOAD_BYTES with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await request(t.url)
      .post('/api/v1/auth/guest')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ username: 'a'.repeat(20_000) }))
      .expect(413);
    expect(res.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
  });
});

/** The client address every limit and ban uses: X-Forwarded-For only through trusted hops. */
describe.each([
  ['TRUST_PROXY=false: the socket address, whatever X-Forwarded-For says', 'false', '127.0.0.1'],
  ['TRUST_PROXY=1: the address the one trusted proxy saw', '1', '203.0.113.9'],
])('client IP with %s', (_label, trustProxy, expected) => {
  const t = useChatApp({ TRUST_PROXY: trustProxy, AUTH_RATE_LIMIT: '2' });

  it('is the address shown for the connection and the one a limit counts', async () => {
    const forwarded = { 'X-Forwarded-For': '198.51.100.1, 203.0.113.9' };
    const ada = await guest(t.url, 'ada');
    const socket = await connect(t.url, ada.accessToken, { extraHeaders: forwarded });
    const token = await adminToken(t.url);
    const listed = await request(t.url)
      .get(`/api/v1/admin/clients/${socket.id}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    socket.close();
    expect(listed.body.ip).toBe(expected);
    // AUTH_RATE_LIMIT is 2 per IP: the guest above and the admin login used 127.0.0.1's; a
    // forwarded address has its own count only when the proxy is trusted.
    const viaProxy = await request(t.url).post('/api/v1/auth/guest').set(forwarded).send({ username: 'bob' });
    expect(viaProxy.status).toBe(expected === '127.0.0.1' ? 429 : 201);
  });
});

/** A connection lets go of its upgrade request after the /chat handshake; its address stays known. */
describe('client IP over one connection shared by namespaces', () => {
  const t = useChatApp({ TRUST_PROXY: '1' });

  it('is kept for a second /chat socket over one connection, after the first released its upgrade request', async () => {
    const forwarded = { 'X-Forwarded-For': '198.51.100.1, 203.0.113.9' };
    const ada = await guest(t.url, 'ada');
    const token = await adminToken(t.url);
    // One Engine.IO connection for both namespaces: the admin socket keeps it open while the chat
    // socket leaves and comes back.
    const manager = new Manager(t.url, { transports: ['websocket'], extraHeaders: forwarded, reconnection: false });
    const admin = manager.socket('/admin', { auth: { token } });
    const chat = manager.socket('/chat', { auth: { token: ada.accessToken } });
    const session = (socket: Socket): Promise<void> =>
      new Promise((resolve, reject) => {
        socket.once('session', () => resolve());
        socket.once('connect_error', reject);
      });
    try {
      await Promise.all([
        session(chat),
        new Promise<void>((resolve, reject) => {
          admin.once('connect', () => resolve());
          admin.once('connect_error', reject);
        }),
      ]);
      const firstId = chat.id;
      chat.disconnect();
      // Socket.IO closes a connection that asks for a namespace it is still leaving: the server
      // must have let the first socket go (it leaves the client listing) before the second comes.
      const gone = async (): Promise<boolean> =>
        (await request(t.url).get(`/api/v1/admin/clients/${firstId}`).set('Authorization', `Bearer ${token}`))
          .status === 404;
      for (let tries = 0; !(await gone()) && tries < 100; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const again = session(chat);
      chat.connect();
      await again;
      expect(chat.id).not.toBe(firstId);
      const listed = await request(t.url)
        .get(`/api/v1/admin/clients/${chat.id}`)
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(listed.body.ip).toBe('203.0.113.9');
    } finally {
      chat.close();
      admin.close();
    }
  });
});
