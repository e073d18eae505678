-- waitlist_release.lua (after calendar.lua): ends a slot's hold when it ran
-- out (hold until <= now) or no offer of it is OPEN any more (all declined),
-- atomically, so of several replicas sweeping at once exactly one releases
-- each round. Its OPEN offers become EXPIRED and their entries WAITING
-- again and back in the matching index (an entry whose current offer is
-- another one is left alone); the
-- hold leaves the busy calendars; the slot is RELEASED at the same round and
-- due now, so the next round of offers (or its closing) follows.
--
-- ARGV, read in order (key arguments are KEYS indexes):
--   slot key, expected round, now, due key, slot id, hold id, start,
--   occupied end, practitioner busy key, room busy key, entry index key
--   n offers, each: offer key, offer id, entry key, entry id
-- Reply: {'RELEASED', expired offer id...} | {'STALE'} | {'NOT_DUE'}.
local slot_key = nextkey()
local expected_round = nextarg()
local now = nextnum()
local due = nextkey()
local slot_id = nextarg()
local hold_id = nextarg()
local start = nextnum()
local occupied = nextnum()
local practitioner = nextkey()
local room = nextkey()
local index = nextkey()
local offers = {}
for i = 1, nextnum() do
  local o = {}
  o.key = nextkey()
  o.id = nextarg()
  o.entry_key = nextkey()
  o.entry_id = nextarg()
  offers[i] = o
end

if redis.call('HGET', slot_key, 'state') ~= 'HELD' or
    redis.call('HGET', slot_key, 'round') ~= expected_round then
  return {'STALE'}
end
local open = false
for _, o in ipairs(offers) do
  if redis.call('HGET', o.key, 'state') == 'OPEN' then open = true end
end
if open and tonumber(redis.call('HGET', slot_key, 'hold_until')) > now then return {'NOT_DUE'} end

local reply = {'RELEASED'}
for _, o in ipairs(offers) do
  if redis.call('HGET', o.key, 'state') == 'OPEN' then
    redis.call('HSET', o.key, 'state', 'EXPIRED')
    reply[#reply + 1] = o.id
  end
  if redis.call('HGET', o.entry_key, 'offer') == o.id and
      redis.call('HGET', o.entry_key, 'state') == 'OFFERED' then
    local version = redis.call('HINCRBY', o.entry_key, 'version', 1)
    redis.call('HSET', o.entry_key, 'state', 'WAITING', 'etag', 'v' .. version)
    redis.call('ZADD', index, redis.call('HGET', o.entry_key, 'score'), o.entry_id)
  end
end
redis.call('ZREM', practitioner, member(hold_id, occupied))
redis.call('ZREM', room, member(hold_id, occupied))
redis.call('HSET', slot_key, 'state', 'RELEASED')
redis.call('ZADD', due, now, slot_id)
return reply
