/**
 * Lua shared by the listing scripts: walks an index of "<16-digit time>:<id>" members newest
 * first, from a cursor member ('' = the newest). `visit(member)` answers nil when the entry is
 * gone (its member is dropped from the index), false when it does not match, true when it does;
 * `emit(out, member)` appends a match's values to `out`. At most `limit` matches are emitted; the
 * reply is {more, values…}, more = 1 exactly when a further match exists.
 */
export const INDEX_WALK = `
local function walkIndex(index, cursor, limit, visit, emit)
  local max = cursor == '' and '+' or '(' .. cursor
  local out, found = {0}, 0
  while true do
    local batch = redis.call('ZREVRANGEBYLEX', index, max, '-', 'LIMIT', 0, 64)
    for _, member in ipairs(batch) do
      local verdict = visit(member)
      if verdict == nil then
        redis.call('ZREM', index, member)
      elseif verdict then
        if found == limit then
          out[1] = 1
          return out
        end
        found = found + 1
        emit(out, member)
      end
      max = '(' .. member
    end
    if #batch < 64 then return out end
  end
end
`;
