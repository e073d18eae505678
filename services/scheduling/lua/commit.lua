-- commit.lua: applies one change to several keys of a tenant atomically,
-- after checking every precondition, so a change is written whole or not at
-- all. The C++ store (redis_*_store.cc) builds the plan; keys come only from
-- KEYS (all share the tenant's hash tag). ARGV is a list of operations, each
-- an op name followed by its arguments; a key argument is an index into
-- KEYS. Checks must all come before the first write.
--
-- Checks (nothing has been written when one fails):
--   REQ    key fingerprint     a request_id seen before: same fingerprint ->
--                              reply {'REPLAY', <stored result>}, else error
--                              REQUEST_MISMATCH
--   CAS    key etag label      hash field `etag` must equal etag ('' = the
--                              key must not exist); errors NOT_FOUND <label>,
--                              ETAG_MISMATCH <label>, EXISTS <label>
--   UNIQUE key field owner     hash field free or held by owner; error
--                              TAKEN <holder>
-- Writes:
--   HSET   key n f1 v1 ... fn vn
--   HDELIF key field owner     delete the field if owner still holds it
--   ZADD   key score member
--   ZREM   key member
--   SADD   key member
--   SETEX  key seconds value
--   XADD   key maxlen bytes    append an event (field 'e') to a stream
-- Reply: {'OK'}. Error replies always have text after their code: Redis
-- would turn a lone word into 'ERR <word>'.
--
-- Arguments are read one statement at a time: Lua leaves the evaluation
-- order of an expression list (a, b = f(), g()) unspecified.
local argi = 0
local function nextarg()
  argi = argi + 1
  return ARGV[argi]
end
local function nextkey()
  return KEYS[tonumber(nextarg())]
end

local checks = {REQ = true, CAS = true, UNIQUE = true}
local writing = false
while argi < #ARGV do
  local op = nextarg()
  if checks[op] and writing then
    return redis.error_reply('BAD_PLAN check ' .. op .. ' after a write')
  end
  if op == 'REQ' then
    local key = nextkey()
    local fingerprint = nextarg()
    local prior = redis.call('GET', key)
    if prior then
      local sep = string.find(prior, '\n', 1, true)
      if string.sub(prior, 1, sep - 1) ~= fingerprint then
        return redis.error_reply('REQUEST_MISMATCH the request_id was used for another request')
      end
      return {'REPLAY', string.sub(prior, sep + 1)}
    end
  elseif op == 'CAS' then
    local key = nextkey()
    local etag = nextarg()
    local label = nextarg()
    local current = redis.call('HGET', key, 'etag')
    if etag == '' then
      if current then return redis.error_reply('EXISTS ' .. label) end
    elseif not current then
      return redis.error_reply('NOT_FOUND ' .. label)
    elseif current ~= etag then
      return redis.error_reply('ETAG_MISMATCH ' .. label)
    end
  elseif op == 'UNIQUE' then
    local key = nextkey()
    local field = nextarg()
    local owner = nextarg()
    local holder = redis.call('HGET', key, field)
    if holder and holder ~= owner then return redis.error_reply('TAKEN ' .. holder) end
  else
    writing = true
    if op == 'HSET' then
      local key = nextkey()
      local n = tonumber(nextarg())
      local fields = {}
      for i = 1, 2 * n do fields[i] = nextarg() end
      redis.call('HSET', key, unpack(fields))
    elseif op == 'HDELIF' then
      local key = nextkey()
      local field = nextarg()
      local owner = nextarg()
      if redis.call('HGET', key, field) == owner then redis.call('HDEL', key, field) end
    elseif op == 'ZADD' then
      local key = nextkey()
      local score = nextarg()
      local member = nextarg()
      redis.call('ZADD', key, score, member)
    elseif op == 'ZREM' then
      local key = nextkey()
      local member = nextarg()
      redis.call('ZREM', key, member)
    elseif op == 'SADD' then
      local key = nextkey()
      local member = nextarg()
      redis.call('SADD', key, member)
    elseif op == 'SETEX' then
      local key = nextkey()
      local seconds = nextarg()
      local value = nextarg()
      redis.call('SET', key, value, 'EX', seconds)
    elseif op == 'XADD' then
      local key = nextkey()
      local maxlen = nextarg()
      local bytes = nextarg()
      redis.call('XADD', key, 'MAXLEN', '~', maxlen, '*', 'e', bytes)
    else
      return redis.error_reply('BAD_PLAN unknown op ' .. tostring(op))
    end
  end
end
return {'OK'}
