import type { Socket } from 'socket.io-client';
import { adminApi, adminToken, pollUntil } from './utils/admin.js';
import { createRoom, emitAck, guest, history, nextEvent, record, type AuthBody } from './utils/clients.js';
import { useChatApp, type ChatHarness } from './utils/harness.js';
import { stall, waitFor } from './utils/timing.js';

async function roomOfTwo(t: ChatHarness): Promise<{ roomId: string; ada: Socket; bob: Socket; owner: AuthBody }> {
  const [owner, other] = await Promise.all([guest(t.url, 'ada'), guest(t.url, 'bob')]);
  const roomId = (await createRoom(t.url, owner.accessToken)).id as string;
  const [ada, bob] = await Promise.all([t.open(owner), t.open(other)]);
  await t.join(ada, roomId);
  await t.join(bob, roomId);
  return { roomId, ada, bob, owner };
}

/**
 * A message, the start and the end of typing and a history read, all sent while the server is
 * stalled for `ms`.
 */
async function sendDuringStall(ada: Socket, roomId: string, ms: number) {
  const acks = Promise.all([
    emitAck(ada, 'message:send', { roomId, content: 'sent while behind' }),
    emitAck(ada, 'room:typing', { roomId, typing: true }),
    emitAck(ada, 'room:typing', { roomId, typing: false }),
    emitAck(ada, 'room:history', { roomId }),
  ]);
  stall(ms);
  const [send, typing, stoppedTyping, read] = await acks;
  return { send, typing, stoppedTyping, read };
}

describe('overload: fan-out events are refused while the server is behind (OVERLOAD_LAG_MS)', () => {
  const t = useChatApp({ OVERLOAD_LAG_MS: '200', HEARTBEAT_INTERVAL_MS: '200' });

  /** This instance's overload figure in GET /admin/instances, once its heartbeat reports `expected`. */
  const refusalsReported = async (expected: number): Promise<number> => {
    const admin = adminApi(t.url, await adminToken(t.url));
    const read = async (): Promise<number> => {
      const res = await admin.get('/instances').expect(200);
      return (res.body.items as Array<{ overloadRefusalsLastMinute: number }>)[0].overloadRefusalsLastMinute;
    };
    return pollUntil(read, (n) => n === expected);
  };

  it('refuses message:send and room:typing with RATE_LIMITED, answers the rest, keeps the connection and recovers', async () => {
    expect(await refusalsReported(0)).toBe(0);
    const { roomId, ada, bob, owner } = await roomOfTwo(t);
    const delivered = record<{ content: string }>(bob, 'message:new');
    const typing = record<{ typing: boolean }>(bob, 'room:typing');
    const stopped = nextEvent<{ typing: boolean }>(bob, 'room:typing');

    const during = await sendDuringStall(ada, roomId, 600);

    for (const refused of [during.send, during.typing]) {
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'RATE_LIMITED', details: { retryAfterMs: expect.any(Number) } },
      });
    }
    const wait = (during.send.error?.details as { retryAfterMs: number }).retryAfterMs;
    expect(wait).toBeGreaterThanOrEqual(200);
    expect(wait).toBeLessThan(5000);
    // Reads are not shed, nor the end of typing (no one is left seeing a member type): only the
    // events that start a write to every member of a room.
    expect(during.read).toMatchObject({ ok: true, messages: [] });
    expect(during.stoppedTyping).toMatchObject({ ok: true });
    expect((await stopped).typing).toBe(false);

    // The server said when to retry; on a loaded machine it may still be behind then, and says so again.
    const next = nextEvent<{ content: string }>(bob, 'message:new');
    let refusals = 2;
    let after = await emitAck(ada, 'message:send', { roomId, content: 'after' });
    for (let attempt = 0; !after.ok && attempt < 20; attempt += 1) {
      // The shedder's refusal, not the token bucket's: only the shedder's count in the figure below.
      expect(after.error).toMatchObject({ code: 'RATE_LIMITED', message: 'The server is overloaded; retry shortly' });
      refusals += 1;
      await waitFor((after.error?.details as { retryAfterMs: number }).retryAfterMs);
      after = await emitAck(ada, 'message:send', { roomId, content: 'after' });
    }
    expect(after).toMatchObject({ ok: true, message: { seq: 1, content: 'after' } });
    expect((await next).content).toBe('after');
    // The refused message took no seq, was never stored and never delivered; both stayed connected.
    expect(delivered.map((m) => m.content)).toEqual(['after']);
    expect(typing.map((event) => event.typing)).toEqual([false]);
    expect((await history(t.url, roomId, owner)).map((m) => m.content)).toEqual(['after']);
    expect(ada.connected && bob.connected).toBe(true);
    // The admin sees how many events the instance refused for overload (its next heartbeat).
    expect(await refusalsReported(refusals)).toBe(refusals);
  });
});

describe('overload shedding off (OVERLOAD_LAG_MS=0)', () => {
  const t = useChatApp({ OVERLOAD_LAG_MS: '0' });

  it('accepts what was sent during the same stall', async () => {
    const { roomId, ada, bob } = await roomOfTwo(t);
    const next = nextEvent<{ content: string }>(bob, 'message:new');

    const during = await sendDuringStall(ada, roomId, 600);

    expect(during.send).toMatchObject({ ok: true, message: { seq: 1, content: 'sent while behind' } });
    expect(during.typing).toMatchObject({ ok: true });
    expect(during.stoppedTyping).toMatchObject({ ok: true });
    expect((await next).content).toBe('sent while behind');
  });
});
