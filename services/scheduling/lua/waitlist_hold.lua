-- waitlist_hold.lua (after calendar.lua): one round of offers for a freed
-- slot, atomically. It decides, with nothing written until all is checked:
--   1. the slot is RELEASED (recorded, or its last hold ended) and still at
--      round `expected round`; otherwise {'STALE'} (a twin replica or a
--      replayed event got here first: nothing to do);
--   2. the practitioner and a room of the candidates are free for
--      [start, occupied end); otherwise the slot was booked normally
--      meanwhile: it is CLOSED, {'BUSY'};
--   3. which of the chosen entries are still WAITING (an entry offered
--      another slot meanwhile is skipped); none: CLOSED, {'NONE'}.
-- Then it holds the slot: a member 'hold id|occupied end' in the
-- practitioner's and the room's busy calendars (so bookings, reschedules
-- and other holds see it taken), the slot HELD until `hold until` in the
-- organization's due set, one OPEN offer per entry (entry OFFERED and out
-- of the clinic's and protocol's index matching scans), the
-- offer listings, and one waitlist.offer_made event per offer.
--
-- ARGV, read in order (key arguments are KEYS indexes):
--   slot key, expected round, hold until, now, due key, slot id
--   hold id, start, occupied end, practitioner busy key, rooms (nextrooms)
--   stream key, stream maxlen, listing key (all offers), entry index key
--   n offers, each: entry key, offer key, offer id, entry id, offer pb,
--     event bytes, entry listing key, slot listing key
-- Reply: {'HELD', room id, offer id...} | {'STALE'} | {'BUSY'} | {'NONE'}.
local slot_key = nextkey()
local expected_round = nextarg()
local hold_until = nextnum()
local now = nextnum()
local due = nextkey()
local slot_id = nextarg()
local hold_id = nextarg()
local start = nextnum()
local occupied = nextnum()
local practitioner = nextkey()
local rooms = nextrooms()
local stream = nextkey()
local maxlen = nextarg()
local all_offers = nextkey()
local index = nextkey()
local offers = {}
for i = 1, nextnum() do
  local o = {}
  o.entry_key = nextkey()
  o.key = nextkey()
  o.id = nextarg()
  o.entry_id = nextarg()
  o.pb = nextarg()
  o.event = nextarg()
  o.by_entry = nextkey()
  o.by_slot = nextkey()
  offers[i] = o
end

local state = redis.call('HGET', slot_key, 'state')
local round = redis.call('HGET', slot_key, 'round')
if state ~= 'RELEASED' or round ~= expected_round then return {'STALE'} end

local function close()
  redis.call('HSET', slot_key, 'state', 'CLOSED')
  redis.call('ZREM', due, slot_id)
end

if conflict(practitioner, start, occupied, hold_id) then
  close()
  return {'BUSY'}
end
local room = pick_room(rooms, start, occupied, hold_id)
if not room then
  close()
  return {'BUSY'}
end

local chosen = {}
for _, o in ipairs(offers) do
  if redis.call('HGET', o.entry_key, 'state') == 'WAITING' then chosen[#chosen + 1] = o end
end
if #chosen == 0 then
  close()
  return {'NONE'}
end

redis.call('ZADD', practitioner, start, member(hold_id, occupied))
redis.call('ZADD', room.busy, start, member(hold_id, occupied))
local ids = {}
local offered = redis.call('HGET', slot_key, 'offered') or ''
for i, o in ipairs(chosen) do
  redis.call('HSET', o.key, 'pb', o.pb, 'state', 'OPEN', 'room', room.id, 'slot', slot_id,
             'entry', o.entry_id)
  local version = redis.call('HINCRBY', o.entry_key, 'version', 1)
  redis.call('HSET', o.entry_key, 'state', 'OFFERED', 'offer', o.id, 'etag', 'v' .. version)
  redis.call('ZREM', index, o.entry_id)
  redis.call('ZADD', all_offers, now, o.id)
  redis.call('ZADD', o.by_entry, now, o.id)
  redis.call('ZADD', o.by_slot, now, o.id)
  redis.call('XADD', stream, 'MAXLEN', '~', maxlen, '*', 'e', o.event)
  ids[i] = o.id
  offered = offered .. ' ' .. o.entry_id
end
redis.call('HSET', slot_key, 'state', 'HELD', 'round', tostring(tonumber(round) + 1),
           'hold_until', hold_until, 'room', room.id, 'offers', table.concat(ids, ' '),
           'offered', offered, 'occupied', occupied)
redis.call('ZADD', due, hold_until, slot_id)
local reply = {'HELD', room.id}
for _, id in ipairs(ids) do reply[#reply + 1] = id end
return reply
