import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { AppModule } from '../src/app.module.js';
import { configureApp, listen } from '../src/app.setup.js';
import { CHAT_ENGINE } from '../src/engine/engine.port.js';
import type { MessageRecord } from '../src/engine/engine.types.js';
import { MemoryEngine } from '../src/engine/memory/memory.engine.js';
import { TEST_ENV } from './utils/app.js';
import { connect, createRoom, emitAck, guest, nextEvent, record } from './utils/clients.js';

/** Loses the publication of chosen seqs, as a pub/sub connection that dropped for a moment would. */
class LossyEngine extends MemoryEngine {
  readonly lose = new Set<number>();

  override subscribeMessages(listener: (message: MessageRecord) => void): Promise<void> {
    return super.subscribeMessages((message) => {
      if (!this.lose.has(message.seq)) {
        listener(message);
      }
    });
  }
}

/** API.md §5: every member online receives each message once, in seq order, even if a publication is lost. */
describe('/chat delivery when a publication is lost', () => {
  const engine = new LossyEngine('gap-test');
  let app: NestExpressApplication;
  let url: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [await AppModule.forRoot({ overrides: TEST_ENV, envFile: false })],
    })
      .overrideProvider(CHAT_ENGINE)
      .useValue(engine)
      .compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error'] });
    configureApp(app);
    await listen(app, 0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
  });

  it('fills the gap from history before the next message, so members see 1, 2, 3, 4 once each', async () => {
    const [ada, bob] = await Promise.all([guest(url, 'ada'), guest(url, 'bob')]);
    const room = await createRoom(url, ada.accessToken);
    const a = await connect(url, ada.accessToken);
    const b = await connect(url, bob.accessToken);
    try {
      for (const socket of [a, b]) {
        expect(await emitAck(socket, 'room:join', { roomId: room.id })).toMatchObject({ ok: true });
      }
      const seen = record(b, 'message:new');
      engine.lose.add(2);
      engine.lose.add(3);
      for (const content of ['one', 'two', 'three']) {
        expect(await emitAck(a, 'message:send', { roomId: room.id, content })).toMatchObject({ ok: true });
      }
      const last = nextEvent(b, 'message:new', (m) => m.seq === 4);
      expect(await emitAck(a, 'message:send', { roomId: room.id, content: 'four' })).toMatchObject({ ok: true });
      await last;
      expect(seen.map((m) => [m.seq, m.content])).toEqual([
        [1, 'one'],
        [2, 'two'],
        [3, 'three'],
        [4, 'four'],
      ]);
    } finally {
      a.close();
      b.close();
    }
  });
});
