-- reschedule_appointment.lua (after calendar.lua): moves one BOOKED
-- appointment to a new time (and maybe practitioner and room) atomically.
-- It checks that the appointment is unchanged since it was read
-- (NOT_FOUND / ETAG_MISMATCH) and that the new interval is free for the
-- practitioner and a room (incl. buffer) and for the patient, ignoring the
-- appointment itself (so a small shift overlapping its old time is fine);
-- otherwise 'CONFLICT 1 <kind> <id> <appointment> <start>' and nothing
-- changes. Then it replaces the calendar and listing entries, writes the
-- appointment with the room taken and appends the events.
--
-- ARGV, read in order (key arguments are KEYS indexes):
--   appointment key, expected etag, id, pb (no room), new etag, start, end,
--     occupied end
--   old practitioner busy key, old practitioner listing key, old room busy
--     key, old room listing key, old occupied end, patient busy key, old
--     patient end
--   new practitioner busy key, new practitioner listing key, rooms (see
--     nextrooms)
--   n listings + n x key (clinic, patient: re-scored by start)
--   stream key, stream maxlen, confirmation index key, the new confirmation
--     check time ('' = none), n events + n x serialized Event
-- Reply: {'MOVED', room id}.
local key = nextkey()
local expected = nextarg()
local id = nextarg()
local pb = nextarg()
local etag = nextarg()
local start = nextnum()
local finish = nextnum()
local occupied = nextnum()
local old = {}
old.practitioner = nextkey()
old.practitioner_listing = nextkey()
old.room = nextkey()
old.room_listing = nextkey()
old.occupied = nextarg()
old.patient = nextkey()
old.finish = nextarg()
local practitioner = nextkey()
local practitioner_listing = nextkey()
local rooms = nextrooms()
local listings = {}
for i = 1, nextnum() do listings[i] = nextkey() end
local stream = nextkey()
local maxlen = nextarg()
local confirmations = nextkey()
local confirm_at = nextarg()

local current = redis.call('HGET', key, 'etag')
if not current then return redis.error_reply('NOT_FOUND appointment') end
if current ~= expected then return redis.error_reply('ETAG_MISMATCH appointment') end

local other, at = conflict(practitioner, start, occupied, id)
if other then return conflict_reply(1, 'practitioner', '-', other, at) end
local room, room_id, room_appt, room_at = pick_room(rooms, start, occupied, id)
if not room then return conflict_reply(1, 'room', room_id, room_appt, room_at) end
other, at = conflict(old.patient, start, finish, id)
if other then return conflict_reply(1, 'patient', '-', other, at) end

redis.call('ZREM', old.practitioner, member(id, old.occupied))
redis.call('ZREM', old.room, member(id, old.occupied))
redis.call('ZREM', old.patient, member(id, old.finish))
redis.call('ZREM', old.practitioner_listing, id)
redis.call('ZREM', old.room_listing, id)
redis.call('ZADD', practitioner, start, member(id, occupied))
redis.call('ZADD', room.busy, start, member(id, occupied))
redis.call('ZADD', old.patient, start, member(id, finish))
redis.call('ZADD', practitioner_listing, start, id)
redis.call('ZADD', room.listing, start, id)
for _, listing in ipairs(listings) do redis.call('ZADD', listing, start, id) end
redis.call('HSET', key, 'pb', with_room(pb, room.id), 'etag', etag, 'occupied', occupied)
if confirm_at == '' then
  redis.call('ZREM', confirmations, id)
else
  redis.call('ZADD', confirmations, confirm_at, id)
end
xadd_events(stream, maxlen)
return {'MOVED', room.id}
