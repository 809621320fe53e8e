import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  Ack,
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayDisconnect,
} from '@nestjs/websockets';
import { EventEmitter, once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { of } from 'rxjs';
import type { Socket as ServerSocket } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import { AppModule } from '../src/app.module.js';
import { configureApp, listen } from '../src/app.setup.js';
import { TEST_ENV } from './utils/app.js';
import { nextEvent } from './utils/clients.js';

/** What the gateway's handlers saw, for the assertions. */
const seen = { manual: [] as unknown[], order: [] as string[] };
/** Emits "disconnect" with { id, reason } when the gateway's handleDisconnect runs. */
const gatewayEvents = new EventEmitter();

/**
 * A gateway that uses what Nest's own adapter offers and /chat does not: Observable results,
 * `{ event, data }` replies, manual acks, several arguments, handleDisconnect. ChatIoAdapter
 * replaces Nest's message binding, so every gateway of the app must still see Nest's behaviour.
 */
@WebSocketGateway({ namespace: '/probe' })
class ProbeGateway implements OnGatewayDisconnect {
  @SubscribeMessage('echo')
  echo(@MessageBody() data: unknown): unknown {
    return { echoed: data };
  }

  @SubscribeMessage('observable')
  observable(@MessageBody() data: unknown): unknown {
    return of({ observed: data });
  }

  @SubscribeMessage('emit-back')
  emitBack(@MessageBody() data: unknown): unknown {
    return { event: 'emitted', data: { back: data } };
  }

  @SubscribeMessage('manual')
  manual(@MessageBody() data: unknown, @Ack() ack: (response: unknown) => void): string {
    seen.manual.push(data);
    // Later than the adapter would ack the return value, so that a wrong ack would arrive first.
    setImmediate(() => ack({ manual: data }));
    return 'not an ack';
  }

  /** Takes a while (a few turns of the event loop), then records its name. */
  @SubscribeMessage('slow')
  async slow(@MessageBody() name: string): Promise<string> {
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    seen.order.push(name);
    return name;
  }

  @SubscribeMessage('quick')
  quick(@MessageBody() name: string): string {
    seen.order.push(name);
    return name;
  }

  @SubscribeMessage('nothing')
  nothing(): undefined {
    return undefined;
  }

  @SubscribeMessage('fails')
  fails(): never {
    throw new Error('handler failed');
  }

  handleDisconnect(@ConnectedSocket() socket: ServerSocket, reason: string): void {
    gatewayEvents.emit('disconnect', { id: socket.id, reason });
  }
}

describe('ChatIoAdapter with a gateway that uses all of Nest', () => {
  let app: NestExpressApplication;
  let url: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    const root = await AppModule.forRoot({ overrides: { ...TEST_ENV }, envFile: false });
    app = await NestFactory.create<NestExpressApplication>(
      { module: class ProbeRootModule {}, imports: [root], providers: [ProbeGateway] },
      { bodyParser: false, logger: false },
    );
    configureApp(app);
    await listen(app, 0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await app.close();
  });

  async function probe(): Promise<Socket> {
    const socket = io(`${url}/probe`, { transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(socket);
    await nextEvent(socket, 'connect');
    return socket;
  }

  it('acks a value, the first value of an Observable, and several arguments as an array', async () => {
    const socket = await probe();
    await expect(socket.timeout(5000).emitWithAck('echo', { a: 1 })).resolves.toEqual({ echoed: { a: 1 } });
    await expect(socket.timeout(5000).emitWithAck('observable', 'x')).resolves.toEqual({ observed: 'x' });
    await expect(socket.timeout(5000).emitWithAck('echo', 1, 2)).resolves.toEqual({ echoed: [1, 2] });
    await expect(socket.timeout(5000).emitWithAck('echo')).resolves.toEqual({});
  });

  it('emits { event, data } results instead of acking them', async () => {
    const socket = await probe();
    const emitted = nextEvent(socket, 'emitted');
    socket.emit('emit-back', 'hello');
    await expect(emitted).resolves.toEqual({ back: 'hello' });
  });

  it('leaves a manual ack to the handler and never acks its return value', async () => {
    const socket = await probe();
    await expect(socket.timeout(5000).emitWithAck('manual', 'm')).resolves.toEqual({ manual: 'm' });
    expect(seen.manual).toEqual(['m']);
  });

  it('keeps every event working on the same socket after a handler failed or returned nothing', async () => {
    const socket = await probe();
    socket.emit('fails');
    socket.emit('fails', 'again');
    const nothingAcks: unknown[] = [];
    socket.emit('nothing', (response: unknown) => nothingAcks.push(response));
    // A socket's events are handled in order: by the echo's ack, the three above have been handled.
    await expect(socket.timeout(5000).emitWithAck('echo', 'still here')).resolves.toEqual({ echoed: 'still here' });
    expect(nothingAcks).toEqual([]);
  });

  it("handles a socket's events one after another, in the order they arrived", async () => {
    const socket = await probe();
    const acks = await Promise.all([
      socket.timeout(5000).emitWithAck('slow', 'first'),
      socket.timeout(5000).emitWithAck('quick', 'second'),
      socket.timeout(5000).emitWithAck('slow', 'third'),
      socket.timeout(5000).emitWithAck('quick', 'fourth'),
    ]);
    expect(acks).toEqual(['first', 'second', 'third', 'fourth']);
    expect(seen.order).toEqual(['first', 'second', 'third', 'fourth']);
  });

  it('calls handleDisconnect once, with the socket and the reason, when a client leaves', async () => {
    const socket = await probe();
    const id = socket.id;
    const calls: unknown[] = [];
    const record = (call: unknown): number => calls.push(call);
    gatewayEvents.on('disconnect', record);
    const disconnected = once(gatewayEvents, 'disconnect');
    socket.close();
    await disconnected;
    // Another client's echo round trip: a second call for the same socket would have come by then.
    const other = await probe();
    await other.timeout(5000).emitWithAck('echo', 'after');
    gatewayEvents.off('disconnect', record);
    expect(calls).toEqual([{ id, reason: 'client namespace disconnect' }]);
  });
});
