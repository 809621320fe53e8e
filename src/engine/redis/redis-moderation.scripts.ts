import { INDEX_WALK } from './redis-index-walk.js';
import { WINDOW_HIT } from './redis-window.js';

/**
 * Lua scripts of the client registry, bans and moderation log (see redis.scripts.ts for the
 * room scripts). Indexes are sorted sets of "<16-digit time>:<id>" members read by lexicographic
 * range, so cursors stay valid while entries come and go.
 *
 * Keys (P = prefix): P clients (index), P client:<socketId> (hash: at, uid, user JSON, lname, ip,
 * iid), P user:<uid>:clients, P ip:<ip>:clients and P instance:<iid>:clients (sets of socket ids); P bans (index),
 * P ban:<id> (hash: json, until; expires with a timed ban), P bans:user:<uid> and P bans:ip:<ip>
 * (sets of ban ids); P modlog (index), P modlog:entries (hash id → entry JSON).
 */

const PRELUDE = `
local p = ARGV[1]
local function forgetClient(sid)
  local ck = p .. 'client:' .. sid
  local f = redis.call('HMGET', ck, 'at', 'uid', 'iid', 'ip')
  if not f[1] then return end
  redis.call('ZREM', p .. 'clients', f[1] .. ':' .. sid)
  redis.call('SREM', p .. 'user:' .. f[2] .. ':clients', sid)
  redis.call('SREM', p .. 'ip:' .. f[4] .. ':clients', sid)
  redis.call('SREM', p .. 'instance:' .. f[3] .. ':clients', sid)
  redis.call('DEL', ck)
end
local function clientRooms(sid, uid)
  local out = {}
  for _, rid in ipairs(redis.call('SMEMBERS', p .. 'user:' .. uid .. ':rooms')) do
    if redis.call('HEXISTS', p .. 'room:' .. rid .. ':socks', sid) == 1 then out[#out + 1] = rid end
  end
  return out
end
local function pushClient(out, sid)
  local f = redis.call('HMGET', p .. 'client:' .. sid, 'at', 'user', 'ip', 'iid', 'uid')
  local rooms = clientRooms(sid, f[5])
  out[#out + 1] = sid
  out[#out + 1] = f[1]
  out[#out + 1] = f[2]
  out[#out + 1] = f[3]
  out[#out + 1] = f[4]
  out[#out + 1] = #rooms
  for _, rid in ipairs(rooms) do out[#out + 1] = rid end
end
`;

export const MODERATION_SCRIPTS = {
  /**
   * ARGV: prefix, socketId, at (16 digits), userId, userJson, lowerName, ip, instanceId, capPerUser,
   * capPerIp ('' = no cap) → 'registered', 'user-full' or 'ip-full'
   */
  registerClient: `${PRELUDE}
local sid = ARGV[2]
forgetClient(sid)
if ARGV[9] ~= '' and redis.call('SCARD', p .. 'user:' .. ARGV[4] .. ':clients') >= tonumber(ARGV[9]) then return 'user-full' end
if ARGV[10] ~= '' and redis.call('SCARD', p .. 'ip:' .. ARGV[7] .. ':clients') >= tonumber(ARGV[10]) then return 'ip-full' end
redis.call('HSET', p .. 'client:' .. sid, 'at', ARGV[3], 'uid', ARGV[4], 'user', ARGV[5], 'lname', ARGV[6], 'ip', ARGV[7], 'iid', ARGV[8])
redis.call('ZADD', p .. 'clients', 0, ARGV[3] .. ':' .. sid)
redis.call('SADD', p .. 'user:' .. ARGV[4] .. ':clients', sid)
redis.call('SADD', p .. 'ip:' .. ARGV[7] .. ':clients', sid)
redis.call('SADD', p .. 'instance:' .. ARGV[8] .. ':clients', sid)
return 'registered'
`,

  /** ARGV: prefix, socketId */
  unregisterClient: `${PRELUDE}
forgetClient(ARGV[2])
return 1
`,

  /** ARGV: prefix, instanceId */
  dropInstanceClients: `${PRELUDE}
local set = p .. 'instance:' .. ARGV[2] .. ':clients'
for _, sid in ipairs(redis.call('SMEMBERS', set)) do forgetClient(sid) end
redis.call('DEL', set)
return 1
`,

  /** ARGV: prefix, socketId → {} or {socketId, at, userJson, ip, instanceId, roomCount, roomIds…} */
  getClient: `${PRELUDE}
local out = {}
if redis.call('EXISTS', p .. 'client:' .. ARGV[2]) == 1 then pushClient(out, ARGV[2]) end
return out
`,

  /**
   * ARGV: prefix, limit, cursor member ('' = from the newest), roomId (''), lowered needle (''), raw q
   * → {more, then per client: socketId, at, userJson, ip, instanceId, roomCount, roomIds…}
   */
  listClients: `${PRELUDE}${INDEX_WALK}
local rid, needle, q = ARGV[4], ARGV[5], ARGV[6]
local function visit(member)
  local sid = string.sub(member, 18)
  local f = redis.call('HMGET', p .. 'client:' .. sid, 'uid', 'lname', 'ip')
  if not f[1] then return nil end
  if rid ~= '' and redis.call('HEXISTS', p .. 'room:' .. rid .. ':socks', sid) == 0 then return false end
  return q == '' or f[1] == q or f[3] == q or string.find(f[2], needle, 1, true) ~= nil
end
return walkIndex(p .. 'clients', ARGV[3], tonumber(ARGV[2]), visit, function(out, member)
  pushClient(out, string.sub(member, 18))
end)
`,

  /** ARGV: prefix, userId, username, lowerName */
  renameClients: `${PRELUDE}
for _, sid in ipairs(redis.call('SMEMBERS', p .. 'user:' .. ARGV[2] .. ':clients')) do
  local ck = p .. 'client:' .. sid
  local raw = redis.call('HGET', ck, 'user')
  if raw then
    local user = cjson.decode(raw)
    user.username = ARGV[3]
    redis.call('HSET', ck, 'user', cjson.encode(user), 'lname', ARGV[4])
  end
end
return 1
`,

  /** ARGV: prefix, banId, at (16 digits), banJson, userId (''), ip (''), until ('' = permanent) */
  createBan: `${PRELUDE}
local bk = p .. 'ban:' .. ARGV[2]
redis.call('HSET', bk, 'json', ARGV[4], 'until', ARGV[7], 'member', ARGV[3] .. ':' .. ARGV[2], 'uid', ARGV[5], 'ip', ARGV[6])
if ARGV[7] ~= '' then redis.call('PEXPIREAT', bk, ARGV[7]) end
redis.call('ZADD', p .. 'bans', 0, ARGV[3] .. ':' .. ARGV[2])
if ARGV[5] ~= '' then redis.call('SADD', p .. 'bans:user:' .. ARGV[5], ARGV[2]) end
if ARGV[6] ~= '' then redis.call('SADD', p .. 'bans:ip:' .. ARGV[6], ARGV[2]) end
return 1
`,

  /** ARGV: prefix, limit, cursor member, now → {more, banJson…} */
  listBans: `${PRELUDE}${INDEX_WALK}
local now = tonumber(ARGV[4])
local function banKey(member) return p .. 'ban:' .. string.sub(member, 18) end
local function visit(member)
  local f = redis.call('HMGET', banKey(member), 'json', 'until')
  if not f[1] then return nil end
  return f[2] == '' or tonumber(f[2]) > now
end
return walkIndex(p .. 'bans', ARGV[3], tonumber(ARGV[2]), visit, function(out, member)
  out[#out + 1] = redis.call('HGET', banKey(member), 'json')
end)
`,

  /** ARGV: prefix, banId, now → the lifted ban's JSON, or false when none was in force */
  removeBan: `${PRELUDE}
local bk = p .. 'ban:' .. ARGV[2]
local f = redis.call('HMGET', bk, 'json', 'until', 'member', 'uid', 'ip')
if not f[1] then return false end
redis.call('DEL', bk)
redis.call('ZREM', p .. 'bans', f[3])
if f[4] ~= '' then redis.call('SREM', p .. 'bans:user:' .. f[4], ARGV[2]) end
if f[5] ~= '' then redis.call('SREM', p .. 'bans:ip:' .. f[5], ARGV[2]) end
if f[2] ~= '' and tonumber(f[2]) <= tonumber(ARGV[3]) then return false end
return f[1]
`,

  /** ARGV: prefix, userId (''), ip (''), now → JSON of the ban in force that ends last, or false */
  matchBan: `${PRELUDE}
local now = tonumber(ARGV[4])
local best, bestUntil = false, -1
local sets = {}
if ARGV[2] ~= '' then sets[#sets + 1] = p .. 'bans:user:' .. ARGV[2] end
if ARGV[3] ~= '' then sets[#sets + 1] = p .. 'bans:ip:' .. ARGV[3] end
for _, set in ipairs(sets) do
  for _, id in ipairs(redis.call('SMEMBERS', set)) do
    local f = redis.call('HMGET', p .. 'ban:' .. id, 'json', 'until')
    if not f[1] then
      redis.call('SREM', set, id)
    else
      local u = f[2] == '' and math.huge or tonumber(f[2])
      if u > now and u > bestUntil then best, bestUntil = f[1], u end
    end
  end
end
return best
`,

  /** ARGV: prefix, key, limit, windowMs, now, hitId → {allowed, count, retryAfterMs} (a sliding window) */
  hitWindow: `${PRELUDE}${WINDOW_HIT}
return hitWindow(p .. 'window:' .. ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6])
`,

  /** ARGV: prefix, member ("<at>:<id>"), id, entryJson, keep */
  appendModeration: `${PRELUDE}
redis.call('ZADD', p .. 'modlog', 0, ARGV[2])
redis.call('HSET', p .. 'modlog:entries', ARGV[3], ARGV[4])
local extra = redis.call('ZCARD', p .. 'modlog') - tonumber(ARGV[5])
if extra > 0 then
  local popped = redis.call('ZPOPMIN', p .. 'modlog', extra)
  for i = 1, #popped, 2 do redis.call('HDEL', p .. 'modlog:entries', string.sub(popped[i], 18)) end
end
return 1
`,

  /** ARGV: prefix, limit, cursor member → {more, entryJson…} */
  listModeration: `${PRELUDE}
local limit = tonumber(ARGV[2])
local max = ARGV[3] == '' and '+' or '(' .. ARGV[3]
local members = redis.call('ZREVRANGEBYLEX', p .. 'modlog', max, '-', 'LIMIT', 0, limit + 1)
local out = {#members > limit and 1 or 0}
for i = 1, math.min(limit, #members) do
  out[#out + 1] = redis.call('HGET', p .. 'modlog:entries', string.sub(members[i], 18)) or '{}'
end
return out
`,
} as const;
