import type { InstanceInfo, ReapedSeat, UserRef } from '../engine.types.js';
import type { RedisCommands } from './redis-commands.js';

/** The instance registry in Redis: heartbeats by expiry time, and reaping a dead instance's seats. */
export class RedisRegistry {
  constructor(private readonly cmd: RedisCommands) {}

  async heartbeat(instance: InstanceInfo, ttlMs: number): Promise<{ wasRegistered: boolean }> {
    const replies = await this.cmd.guard(() =>
      this.cmd.redis
        .multi()
        .set(this.cmd.keys.instance(instance.id), JSON.stringify(instance), 'PX', ttlMs * 4)
        .zadd(this.cmd.keys.instances, instance.lastHeartbeat + ttlMs, instance.id)
        .exec(),
    );
    // ZADD counts new members: 0 means the instance was still in the registry.
    return { wasRegistered: replies?.[1]?.[1] === 0 };
  }

  async live(now: number): Promise<InstanceInfo[]> {
    const ids = await this.cmd.guard(() => this.cmd.redis.zrangebyscore(this.cmd.keys.instances, `(${now}`, '+inf'));
    if (ids.length === 0) {
      return [];
    }
    const infos = await this.cmd.guard(() => this.cmd.redis.mget(ids.map((id) => this.cmd.keys.instance(id))));
    return infos
      .filter((info): info is string => info !== null)
      .map((info) => {
        // An instance of an earlier version (during a rolling upgrade) reports no overload figure.
        const reported = JSON.parse(info) as Omit<InstanceInfo, 'overloadRefusalsLastMinute'> &
          Partial<Pick<InstanceInfo, 'overloadRefusalsLastMinute'>>;
        return { ...reported, overloadRefusalsLastMinute: reported.overloadRefusalsLastMinute ?? 0 };
      })
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  stale(now: number): Promise<string[]> {
    return this.cmd.guard(() => this.cmd.redis.zrangebyscore(this.cmd.keys.instances, '-inf', now));
  }

  async reap(instanceId: string): Promise<ReapedSeat[]> {
    const flat = (await this.cmd.script('reapInstance', instanceId)) as Array<string | number>;
    const reaped: ReapedSeat[] = [];
    for (let i = 0; i + 3 < flat.length; i += 4) {
      reaped.push({
        roomId: String(flat[i]),
        user: JSON.parse(String(flat[i + 1])) as UserRef,
        lastSocket: Number(flat[i + 2]) === 1,
        memberCount: Number(flat[i + 3]),
      });
    }
    return reaped;
  }
}
