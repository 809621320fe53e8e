/**
 * The sliding window of RateLimitStore.hit as a Lua function, shared by the `hitWindow` script
 * and by `appendMessage` (a message's quota is taken in the same round trip as its append).
 * Key: <prefix>window:<key>, a sorted set of hit ids by time, expiring with its window.
 */
export const WINDOW_HIT = `
local function hitWindow(key, limit, window, now, hitId)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local count = redis.call('ZCARD', key)
  if count >= limit then
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    local retry = oldest[2] and (tonumber(oldest[2]) + window - now) or window
    return {0, count, math.max(1, retry)}
  end
  redis.call('ZADD', key, now, hitId)
  redis.call('PEXPIRE', key, window)
  return {1, count + 1, 0}
end
`;
