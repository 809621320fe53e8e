/**
 * Lua scripts of the Redis engine: each is one atomic round trip. Keys are built inside the
 * scripts from the prefix (ARGV[1]) because a room's keys depend on what the room holds; Parley
 * therefore targets a standalone Redis (or a primary with replicas), not Redis Cluster.
 *
 * Room keys (R = <prefix>room:<id>): R (hash: the record, lastSeq, joins), R:seats (zset userId by
 * join order), R:people (hash userId → user JSON), R:socks (hash socketId → "userId\ninstanceId"),
 * R:nsocks (hash userId → sockets), R:msgs (zset message JSON by seq), R:msgids (hash id → seq),
 * R:dedupe (hash "userId\nclientMsgId" → seq), R:grants (set of userIds), R:participants (set of
 * every userId that ever took a seat). Appended messages are
 * published on the channel <prefix>messages as "seq\nmessage JSON".
 */

import { INDEX_WALK } from './redis-index-walk.js';
import { WINDOW_HIT } from './redis-window.js';

/** Shared helpers prepended to every script. */
const PRELUDE = `
local p = ARGV[1]
local function roomKey(rid) return p .. 'room:' .. rid end
local SUBKEYS = {':seats', ':people', ':socks', ':nsocks', ':msgs', ':msgids', ':dedupe', ':grants', ':participants'}
local function liveUntil(rk, now)
  local exp = redis.call('HGET', rk, 'expiresAt')
  if not exp or tonumber(exp) <= now then return nil end
  return tonumber(exp)
end
local function keepUntil(key, expiresAt, grace)
  redis.call('PEXPIREAT', key, expiresAt + grace)
end
`;

export const SCRIPTS = {
  /** ARGV: prefix, roomId, userId, userJson, socketId, now, instanceId, graceMs → {status, first, count} */
  joinRoom: `${PRELUDE}
local rid, uid, ujson, sid, now, iid, grace = ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6]), ARGV[7], tonumber(ARGV[8])
local rk = roomKey(rid)
local exp = liveUntil(rk, now)
if not exp then return {'missing', 0, 0} end
local seats, socks, nsocks = rk .. ':seats', rk .. ':socks', rk .. ':nsocks'
if redis.call('HEXISTS', socks, sid) == 1 then return {'joined', 0, redis.call('ZCARD', seats)} end
local seated = redis.call('ZSCORE', seats, uid)
if not seated then
  if redis.call('ZCARD', seats) >= tonumber(redis.call('HGET', rk, 'maxUsers')) then return {'full', 0, 0} end
  redis.call('ZADD', seats, redis.call('HINCRBY', rk, 'joins', 1), uid)
  redis.call('HSET', rk .. ':people', uid, ujson)
  redis.call('SADD', rk .. ':participants', uid)
  keepUntil(rk .. ':participants', exp, grace)
  redis.call('HSET', rk, 'lastActivityAt', now)
  redis.call('SADD', p .. 'user:' .. uid .. ':rooms', rid)
end
redis.call('HSET', socks, sid, uid .. '\\n' .. iid)
redis.call('HINCRBY', nsocks, uid, 1)
redis.call('SADD', p .. 'instance:' .. iid .. ':seats', rid .. '\\n' .. uid .. '\\n' .. sid)
for _, k in ipairs({seats, rk .. ':people', socks, nsocks}) do keepUntil(k, exp, grace) end
return {'joined', seated and 0 or 1, redis.call('ZCARD', seats)}
`,

  /** ARGV: prefix, roomId, userId, socketId → {wasMember, lastSocket, count} */
  leaveRoom: `${PRELUDE}
local rid, uid, sid = ARGV[2], ARGV[3], ARGV[4]
local rk = roomKey(rid)
local seats = rk .. ':seats'
local owner = redis.call('HGET', rk .. ':socks', sid)
if not owner then return {0, 0, redis.call('ZCARD', seats)} end
local nl = string.find(owner, '\\n', 1, true)
if string.sub(owner, 1, nl - 1) ~= uid then return {0, 0, redis.call('ZCARD', seats)} end
redis.call('HDEL', rk .. ':socks', sid)
redis.call('SREM', p .. 'instance:' .. string.sub(owner, nl + 1) .. ':seats', rid .. '\\n' .. uid .. '\\n' .. sid)
if redis.call('HINCRBY', rk .. ':nsocks', uid, -1) > 0 then return {1, 0, redis.call('ZCARD', seats)} end
redis.call('HDEL', rk .. ':nsocks', uid)
redis.call('ZREM', seats, uid)
redis.call('HDEL', rk .. ':people', uid)
redis.call('SREM', p .. 'user:' .. uid .. ':rooms', rid)
return {1, 1, redis.call('ZCARD', seats)}
`,

  /** ARGV: prefix, roomId → user JSONs in join order */
  listMembers: `${PRELUDE}
local rk = roomKey(ARGV[2])
local ids = redis.call('ZRANGE', rk .. ':seats', 0, -1)
if #ids == 0 then return {} end
return redis.call('HMGET', rk .. ':people', unpack(ids))
`,

  /** ARGV: prefix, userId, username → ids of the user's rooms */
  renameMember: `${PRELUDE}
local uid, name = ARGV[2], ARGV[3]
local rids = redis.call('SMEMBERS', p .. 'user:' .. uid .. ':rooms')
for _, rid in ipairs(rids) do
  local people = roomKey(rid) .. ':people'
  local raw = redis.call('HGET', people, uid)
  if raw then
    local user = cjson.decode(raw)
    user.username = name
    redis.call('HSET', people, uid, cjson.encode(user))
  end
end
return rids
`,

  /**
   * ARGV: prefix, roomId, messageJson (without seq), userId, clientMsgId or '', historySize, sentAt,
   * messageId, graceMs, quota key or '', quota limit, quota windowMs, quota hitId → {status, json,
   * seq} ({'rate-limited', '', retryAfterMs} when the quota's window is full)
   */
  appendMessage: `${PRELUDE}${WINDOW_HIT}
local rid, json, uid, cmid, size, now, mid, grace = ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7]), ARGV[8], tonumber(ARGV[9])
if ARGV[10] ~= '' then
  local hit = hitWindow(p .. 'window:' .. ARGV[10], tonumber(ARGV[11]), tonumber(ARGV[12]), now, ARGV[13])
  if hit[1] == 0 then return {'rate-limited', '', hit[3]} end
end
local rk = roomKey(rid)
local exp = liveUntil(rk, now)
if not exp then return {'missing', '', 0} end
local msgs, msgids, dedupe = rk .. ':msgs', rk .. ':msgids', rk .. ':dedupe'
if cmid ~= '' then
  local prior = redis.call('HGET', dedupe, uid .. '\\n' .. cmid)
  if prior then
    local found = redis.call('ZRANGEBYSCORE', msgs, prior, prior)
    if found[1] then return {'duplicate', found[1], tonumber(prior)} end
  end
end
local seq = redis.call('HINCRBY', rk, 'lastSeq', 1)
redis.call('HSET', rk, 'lastActivityAt', now)
redis.call('ZADD', msgs, seq, json)
redis.call('HSET', msgids, mid, seq)
if cmid ~= '' then redis.call('HSET', dedupe, uid .. '\\n' .. cmid, seq) end
local excess = redis.call('ZCARD', msgs) - size
if excess > 0 then
  for _, old in ipairs(redis.call('ZRANGE', msgs, 0, excess - 1)) do
    local m = cjson.decode(old)
    redis.call('HDEL', msgids, m.id)
    if type(m.clientMsgId) == 'string' then redis.call('HDEL', dedupe, m.userId .. '\\n' .. m.clientMsgId) end
  end
  redis.call('ZREMRANGEBYRANK', msgs, 0, excess - 1)
end
for _, k in ipairs({msgs, msgids, dedupe}) do keepUntil(k, exp, grace) end
-- Published inside the script: Redis then delivers a room's messages to every subscriber in seq order.
redis.call('PUBLISH', p .. 'messages', seq .. '\\n' .. json)
return {'appended', json, seq}
`,

  /** ARGV: prefix, roomId, messageId → {json, seq} or nil */
  deleteMessage: `${PRELUDE}
local rk = roomKey(ARGV[2])
local seq = redis.call('HGET', rk .. ':msgids', ARGV[3])
if not seq then return nil end
local found = redis.call('ZRANGEBYSCORE', rk .. ':msgs', seq, seq)
redis.call('ZREMRANGEBYSCORE', rk .. ':msgs', seq, seq)
redis.call('HDEL', rk .. ':msgids', ARGV[3])
if not found[1] then return nil end
local m = cjson.decode(found[1])
if type(m.clientMsgId) == 'string' then redis.call('HDEL', rk .. ':dedupe', m.userId .. '\\n' .. m.clientMsgId) end
return {found[1], tonumber(seq)}
`,

  /** ARGV: prefix, roomId, userId, graceMs */
  grantAccess: `${PRELUDE}
local rk = roomKey(ARGV[2])
local exp = redis.call('HGET', rk, 'expiresAt')
if not exp then return 0 end
redis.call('SADD', rk .. ':grants', ARGV[3])
keepUntil(rk .. ':grants', tonumber(exp), tonumber(ARGV[4]))
return 1
`,

  /** ARGV: prefix, roomId → the record as a flat hash, or nil when already gone */
  deleteRoom: `${PRELUDE}
local rid = ARGV[2]
local rk = roomKey(rid)
redis.call('ZREM', p .. 'rooms:expiry', rid)
local record = redis.call('HGETALL', rk)
if #record == 0 then return nil end
local created = redis.call('HGET', rk, 'indexKey')
redis.call('ZREM', p .. 'rooms:all', created)
redis.call('ZREM', p .. 'rooms:public', created)
for _, uid in ipairs(redis.call('ZRANGE', rk .. ':seats', 0, -1)) do
  redis.call('SREM', p .. 'user:' .. uid .. ':rooms', rid)
end
local socks = redis.call('HGETALL', rk .. ':socks')
for i = 1, #socks, 2 do
  local nl = string.find(socks[i + 1], '\\n', 1, true)
  local uid, iid = string.sub(socks[i + 1], 1, nl - 1), string.sub(socks[i + 1], nl + 1)
  redis.call('SREM', p .. 'instance:' .. iid .. ':seats', rid .. '\\n' .. uid .. '\\n' .. socks[i])
end
redis.call('DEL', rk)
for _, s in ipairs(SUBKEYS) do redis.call('DEL', rk .. s) end
return record
`,

  /**
   * ARGV: prefix, index ('all' | 'public'), limit, cursor member or '', now, name filter (ASCII
   * lower-cased) or '' → {more, member...}.
   * Walks the index newest first; entries of rooms that no longer exist are removed on the way.
   */
  listRooms: `${PRELUDE}${INDEX_WALK}
local now, needle = tonumber(ARGV[5]), ARGV[6]
local function visit(member)
  local fields = redis.call('HMGET', roomKey(string.sub(member, 18)), 'expiresAt', 'name')
  if not fields[1] then return nil end
  return tonumber(fields[1]) > now and (needle == '' or string.find(string.lower(fields[2]), needle, 1, true) ~= nil)
end
return walkIndex(p .. 'rooms:' .. ARGV[2], ARGV[4], tonumber(ARGV[3]), visit, function(out, member)
  out[#out + 1] = member
end)
`,

  /** ARGV: prefix, instanceId → flat list of roomId, userJson, lastSocket, count for every socket it held */
  reapInstance: `${PRELUDE}
local set = p .. 'instance:' .. ARGV[2] .. ':seats'
local out = {}
for _, entry in ipairs(redis.call('SMEMBERS', set)) do
  local a = string.find(entry, '\\n', 1, true)
  local b = string.find(entry, '\\n', a + 1, true)
  local rid, uid, sid = string.sub(entry, 1, a - 1), string.sub(entry, a + 1, b - 1), string.sub(entry, b + 1)
  local rk = roomKey(rid)
  if redis.call('HDEL', rk .. ':socks', sid) == 1 then
    local user = redis.call('HGET', rk .. ':people', uid)
    local last = 0
    if redis.call('HINCRBY', rk .. ':nsocks', uid, -1) <= 0 then
      redis.call('HDEL', rk .. ':nsocks', uid)
      redis.call('ZREM', rk .. ':seats', uid)
      redis.call('HDEL', rk .. ':people', uid)
      redis.call('SREM', p .. 'user:' .. uid .. ':rooms', rid)
      last = 1
    end
    if user then
      out[#out + 1] = rid
      out[#out + 1] = user
      out[#out + 1] = last
      out[#out + 1] = redis.call('ZCARD', rk .. ':seats')
    end
  end
end
redis.call('DEL', set, p .. 'instance:' .. ARGV[2])
redis.call('ZREM', p .. 'instances', ARGV[2])
return out
`,

  /** ARGV: prefix, key, windowMs → {count, ms left in the window} */
  countAttempt: `${PRELUDE}
local k = p .. 'attempts:' .. ARGV[2]
local n = redis.call('INCR', k)
if n == 1 then redis.call('PEXPIRE', k, ARGV[3]) end
return {n, redis.call('PTTL', k)}
`,

  /** ARGV: prefix, id, usernameKey, account JSON fields (id, username, passwordHash, createdAt) → 1 | 0 */
  createAccount: `${PRELUDE}
if redis.call('HSETNX', p .. 'accounts:byname', ARGV[3], ARGV[2]) == 0 then return 0 end
redis.call('HSET', p .. 'account:' .. ARGV[2], 'id', ARGV[2], 'username', ARGV[4], 'usernameKey', ARGV[3], 'passwordHash', ARGV[5], 'createdAt', ARGV[6])
return 1
`,

  /** ARGV: prefix, id, usernameKey, username → 'renamed' | 'taken' | 'missing' */
  renameAccount: `${PRELUDE}
local ak = p .. 'account:' .. ARGV[2]
local oldKey = redis.call('HGET', ak, 'usernameKey')
if not oldKey then return 'missing' end
local holder = redis.call('HGET', p .. 'accounts:byname', ARGV[3])
if holder and holder ~= ARGV[2] then return 'taken' end
redis.call('HDEL', p .. 'accounts:byname', oldKey)
redis.call('HSET', p .. 'accounts:byname', ARGV[3], ARGV[2])
redis.call('HSET', ak, 'username', ARGV[4], 'usernameKey', ARGV[3])
return 'renamed'
`,

  /**
   * ARGV: prefix, runId, fresh random token → incarnation. A Redis server that restarted (new
   * run_id) may have lost writes: the incarnation, part of every room's epoch, then changes once for
   * the whole cluster. It is random, not a counter, so a restore of an older snapshot can never bring
   * back an incarnation that clients have already seen.
   */
  incarnation: `${PRELUDE}
local seen = redis.call('GET', p .. 'meta:runid')
if seen ~= ARGV[2] or redis.call('EXISTS', p .. 'meta:incarnation') == 0 then
  redis.call('SET', p .. 'meta:runid', ARGV[2])
  redis.call('SET', p .. 'meta:incarnation', ARGV[3])
end
return redis.call('GET', p .. 'meta:incarnation')
`,
} as const;
