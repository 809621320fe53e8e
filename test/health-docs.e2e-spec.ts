import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { AppModule } from '../src/app.module.js';
import { configureApp } from '../src/app.setup.js';
import { CHAT_ENGINE } from '../src/engine/engine.port.js';
import { MemoryEngine } from '../src/engine/memory/memory.engine.js';
import { TEST_ENV } from './utils/app.js';
import { ERROR_CODES } from './utils/contract.js';
import { useChatApp } from './utils/harness.js';

type Schema = { $ref?: string; properties?: Record<string, unknown>; required?: string[] };
type Operation = {
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
  security?: Record<string, string[]>[];
};
type OpenApi = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes?: Record<string, Record<string, string>> };
};

/** The routes of API.md §3: method, OpenAPI path, whether a user token is needed, error statuses. */
const ROUTES: [string, string, boolean, number[]][] = [
  ['post', '/api/v1/auth/guest', false, [400, 403, 429]],
  ['post', '/api/v1/auth/register', false, [400, 409, 429]],
  ['post', '/api/v1/auth/login', false, [401, 429]],
  ['get', '/api/v1/auth/me', true, [401]],
  ['post', '/api/v1/rooms', true, [400, 401, 429]],
  ['get', '/api/v1/rooms', false, [400]],
  ['get', '/api/v1/rooms/{id}', false, [404]],
  ['delete', '/api/v1/rooms/{id}', true, [401, 403, 404]],
  ['get', '/api/v1/rooms/{id}/members', true, [401, 403, 404]],
  ['get', '/api/v1/rooms/{id}/messages', true, [401, 403, 404]],
];
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'];

const TERMINUS_SHAPE = {
  status: expect.any(String),
  info: expect.any(Object),
  error: expect.any(Object),
  details: expect.any(Object),
};

describe('health and docs', () => {
  const t = useChatApp();
  let doc: OpenApi;

  beforeAll(async () => {
    doc = (await request(t.url).get('/docs-json').expect(200)).body as OpenApi;
  });

  /** The schema a `$ref` points to. */
  const resolve = (schema: Schema | undefined): Schema | undefined => {
    const ref = schema?.$ref;
    return ref?.startsWith('#/components/schemas/') ? doc.components.schemas[ref.split('/').pop()!] : undefined;
  };
  /** Whether a response's JSON schema is the error body `{ statusCode, code, message, details? }`. */
  const isErrorBody = (schema: Schema | undefined): boolean => {
    const target = resolve(schema);
    return (
      target !== undefined &&
      ['statusCode', 'code', 'message'].every((key) => target.required?.includes(key)) &&
      Object.keys(target.properties ?? {}).every((key) => ['statusCode', 'code', 'message', 'details'].includes(key))
    );
  };

  describe('GET /health/live and /health/ready', () => {
    it('/health/live answers 200 in terminus format without a token', async () => {
      const res = await request(t.url).get('/health/live').expect(200);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body).toEqual(TERMINUS_SHAPE);
      expect(res.body.status).toBe('ok');
      expect(res.body.error).toEqual({});
    });

    it('/health/ready answers 200 in terminus format with the engine up', async () => {
      const res = await request(t.url).get('/health/ready').expect(200);
      expect(res.body).toEqual(TERMINUS_SHAPE);
      expect(res.body.status).toBe('ok');
      expect(res.body.info.engine).toMatchObject({ status: 'up' });
      expect(res.body.error).toEqual({});
    });

    it('lives outside the API prefix', async () => {
      await request(t.url).get('/api/v1/health/live').expect(404);
    });
  });

  describe('GET /docs and /docs-json', () => {
    it('/docs serves the Swagger UI page', async () => {
      const res = await request(t.url).get('/docs').expect(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toMatch(/swagger-ui/i);
    });

    it('/docs-json is an OpenAPI 3 document', () => {
      expect(doc.openapi).toMatch(/^3\./);
      expect(doc.paths).toEqual(expect.any(Object));
    });

    it('has every route of API.md §3', () => {
      const missing = ROUTES.filter(([method, path]) => !doc.paths[path]?.[method]).map(([m, p]) => `${m} ${p}`);
      expect(missing).toEqual([]);
    });

    it('declares a bearer (JWT) security scheme, required by the routes that need a token', () => {
      const schemes = Object.entries(doc.components.securitySchemes ?? {});
      const bearer = schemes.find(([, s]) => s.type === 'http' && s.scheme?.toLowerCase() === 'bearer');
      expect(bearer).toBeDefined();
      const name = bearer![0];
      for (const [method, path, needsToken] of ROUTES) {
        const security = doc.paths[path][method].security ?? [];
        const usesBearer = security.some((requirement) => name in requirement);
        expect({ route: `${method} ${path}`, usesBearer }).toEqual({
          route: `${method} ${path}`,
          usesBearer: needsToken,
        });
      }
    });

    it('documents the success response of every route', () => {
      for (const [method, path] of ROUTES) {
        const statuses = Object.keys(doc.paths[path][method].responses);
        expect({ route: `${method} ${path}`, success: statuses.some((s) => /^2\d\d$/.test(s)) }).toEqual({
          route: `${method} ${path}`,
          success: true,
        });
      }
    });

    it('documents the error statuses of API.md §3 for each route, with the error body schema', () => {
      for (const [method, path, , errors] of ROUTES) {
        const responses = doc.paths[path][method].responses;
        for (const status of errors) {
          const schema = responses[String(status)]?.content?.['application/json']?.schema;
          expect({ route: `${method} ${path}`, status, errorBody: isErrorBody(schema) }).toEqual({
            route: `${method} ${path}`,
            status,
            errorBody: true,
          });
        }
      }
    });

    it('documents at least one error response with the error body on every API operation', () => {
      const undocumented: string[] = [];
      for (const [path, item] of Object.entries(doc.paths)) {
        if (!path.startsWith('/api/v1/')) {
          continue;
        }
        for (const [method, operation] of Object.entries(item)) {
          if (!HTTP_METHODS.includes(method)) {
            continue;
          }
          const documented = Object.entries(operation.responses).some(
            ([status, response]) =>
              /^[45]\d\d$/.test(status) && isErrorBody(response.content?.['application/json']?.schema),
          );
          if (!documented) {
            undocumented.push(`${method} ${path}`);
          }
        }
      }
      expect(undocumented).toEqual([]);
    });

    it('lists every machine-readable error code of API.md §6 in the error body schema', () => {
      const guest = doc.paths['/api/v1/auth/guest'].post.responses['400'].content!['application/json'].schema;
      const code = resolve(guest)!.properties!.code as { enum?: string[] };
      expect(code.enum).toEqual(expect.arrayContaining([...ERROR_CODES]));
    });
  });
});

describe('readiness when the engine does not answer', () => {
  let app: NestExpressApplication;
  let url: string;

  beforeAll(async () => {
    // Same boot as test/utils/app.ts, with an engine whose backing store is unreachable.
    const engine = new MemoryEngine();
    engine.ping = () => Promise.reject(new Error('connection refused'));
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot({ overrides: TEST_ENV, envFile: false })],
    })
      .overrideProvider(CHAT_ENGINE)
      .useValue(engine)
      .compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false });
    configureApp(app);
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
  });

  it('/health/ready answers 503 in terminus format naming the engine as down', async () => {
    const res = await request(url).get('/health/ready').expect(503);
    expect(res.body).toMatchObject({ ...TERMINUS_SHAPE, status: 'error', error: { engine: { status: 'down' } } });
    expect(res.body.details.engine).toMatchObject({ status: 'down' });
  });

  it('/health/ready also carries the contract code UNAVAILABLE', async () => {
    const res = await request(url).get('/health/ready').expect(503);
    expect(res.body).toMatchObject({ statusCode: 503, code: 'UNAVAILABLE', message: expect.any(String) });
  });

  it('/health/live still answers 200: the process is up', async () => {
    const res = await request(url).get('/health/live').expect(200);
    expect(res.body.status).toBe('ok');
  });
});
