import request from 'supertest';
import { useChatApp } from './utils/harness.js';

/** The admin console's files as a browser fetches them (built by `npm run build` into admin-ui/dist). */
describe('admin console served at /admin', () => {
  const t = useChatApp();

  it('redirects /admin to /admin/', async () => {
    const res = await request(t.url).get('/admin').expect(301);
    expect(res.headers.location).toBe('/admin/');
  });

  it('serves the page with a CSP that allows only its own scripts, never cached', async () => {
    const res = await request(t.url).get('/admin/').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).toContain('<div id="root"></div>');
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('serves the hashed assets the page names, cacheable for good', async () => {
    const page = await request(t.url).get('/admin/').expect(200);
    const script = /src="(\/admin\/assets\/[^"]+\.js)"/.exec(page.text)?.[1];
    expect(script).toBeDefined();
    const res = await request(t.url)
      .get(script ?? '')
      .expect(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('answers a missing asset with the JSON 404, not the page', async () => {
    const res = await request(t.url).get('/admin/assets/missing-file.js').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
  });
});
