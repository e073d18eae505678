-- waitlist_decline.lua: a patient declines an offer, atomically: an OPEN
-- offer becomes DECLINED and its entry WAITING again; when no offer of the
-- slot is OPEN any more, the slot is due now so the sweeper releases it and
-- offers it on at once. Declining a DECLINED offer again changes nothing.
--
-- ARGV, read in order (key arguments are KEYS indexes):
--   offer key, offer id, entry key, entry id, entry index key, due key,
--   slot id, now
--   n sibling offers (the slot's others) + n x offer key
-- Reply: {'DECLINED'} | error 'STATE <state>' for an offer no longer OPEN.
local argi = 0
local function nextarg()
  argi = argi + 1
  return ARGV[argi]
end
local function nextkey()
  return KEYS[tonumber(nextarg())]
end
local offer = nextkey()
local offer_id = nextarg()
local entry = nextkey()
local entry_id = nextarg()
local index = nextkey()
local due = nextkey()
local slot_id = nextarg()
local now = nextarg()
local siblings = {}
for i = 1, tonumber(nextarg()) do siblings[i] = nextkey() end

local state = redis.call('HGET', offer, 'state')
if not state then return redis.error_reply('NOT_FOUND offer') end
if state == 'DECLINED' then return {'DECLINED'} end
if state ~= 'OPEN' then return redis.error_reply('STATE ' .. state) end
redis.call('HSET', offer, 'state', 'DECLINED')
if redis.call('HGET', entry, 'offer') == offer_id and
    redis.call('HGET', entry, 'state') == 'OFFERED' then
  local version = redis.call('HINCRBY', entry, 'version', 1)
  redis.call('HSET', entry, 'state', 'WAITING', 'etag', 'v' .. version)
  redis.call('ZADD', index, redis.call('HGET', entry, 'score'), entry_id)
end
for _, s in ipairs(siblings) do
  if redis.call('HGET', s, 'state') == 'OPEN' then return {'DECLINED'} end
end
if redis.call('ZSCORE', due, slot_id) then redis.call('ZADD', due, now, slot_id) end
return {'DECLINED'}
