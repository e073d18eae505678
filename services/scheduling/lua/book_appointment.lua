-- book_appointment.lua (after calendar.lua): books one appointment or all
-- sessions of a course, atomically. It decides, with nothing written until
-- everything is checked:
--   1. request_id idempotency: a request seen before returns its first
--      result ({'REPLAY', id}); the same request_id with other content is
--      REQUEST_MISMATCH;
--   2. the course (when a session is added to an existing one) is unchanged
--      since it was read (ETAG_MISMATCH otherwise);
--   3. for every session: no BOOKED/ARRIVED appointment of the practitioner
--      or the room overlaps [start, end + buffer), none of the patient
--      overlaps [start, end), and no two sessions of this booking overlap;
--      the first free room of the candidates is taken. Otherwise
--      'CONFLICT <session> <practitioner|room|patient> <id> <appointment> <start>'.
-- Then it writes the appointments, their calendar and listing entries, the
-- course, the events (XADD to the tenant stream) and the request record.
--
-- ARGV, read in order (key arguments are KEYS indexes):
--   request key, fingerprint, ttl seconds, result id
--   stream key, stream maxlen, confirmation index key
--   hold? '1' + waitlist hold (see below) | '0'
--   course? '1' + course key, expected etag ('' = new), course pb, etag,
--     n listings + n x (key, score)  |  '0'
--   n sessions, each: appointment key, id, pb (no room), etag, start, end,
--     occupied end (end + buffer), practitioner busy key, patient busy key,
--     rooms (see nextrooms), n listings + n x key (scored by start),
--     confirmation check time ('' = none; see scheduling_keys.h)
--   n events + n x serialized Event
-- Reply: {'BOOKED', room of session 1, room of session 2, ...}.
--
-- A waitlist offer being accepted (lua/waitlist_hold.lua held its slot):
--   slot key, offer key, entry key, offer id, now, due key, slot id,
--   hold id, occupied end of the hold, entry index key, entry id
--   n siblings (the slot's other offers), each: offer key, offer id,
--     entry key, entry id, serialized waitlist.offer_taken event
-- Before anything else the offer must be OPEN (else 'OFFER_TAKEN',
-- 'OFFER_EXPIRED', 'OFFER_DECLINED', 'OFFER_ACCEPTED'), its slot HELD and
-- unexpired, its entry still OFFERED with this offer ('OFFER_EXPIRED'
-- otherwise). The calendars then ignore the hold's own member, and the
-- booking releases it: the offer ACCEPTED, the entry BOOKED, the slot
-- FILLED, the siblings TAKEN (their entries WAITING, their events sent).
local request_key = nextkey()
local fingerprint = nextarg()
local ttl = nextarg()
local result_id = nextarg()
local prior = redis.call('GET', request_key)
if prior then
  local sep = string.find(prior, '\n', 1, true)
  if string.sub(prior, 1, sep - 1) ~= fingerprint then
    return redis.error_reply('REQUEST_MISMATCH the request_id was used for another request')
  end
  return {'REPLAY', string.sub(prior, sep + 1)}
end
local stream = nextkey()
local maxlen = nextarg()
local confirmations = nextkey()

local hold
local ignore = ''
if nextarg() == '1' then
  hold = {siblings = {}}
  hold.slot = nextkey()
  hold.offer = nextkey()
  hold.entry = nextkey()
  hold.offer_id = nextarg()
  hold.now = nextnum()
  hold.due = nextkey()
  hold.slot_id = nextarg()
  hold.id = nextarg()
  hold.occupied = nextarg()
  hold.index = nextkey()
  hold.entry_id = nextarg()
  for i = 1, nextnum() do
    local o = {}
    o.key = nextkey()
    o.id = nextarg()
    o.entry = nextkey()
    o.entry_id = nextarg()
    o.event = nextarg()
    hold.siblings[i] = o
  end
  local offer_state = redis.call('HGET', hold.offer, 'state')
  if offer_state ~= 'OPEN' then
    return redis.error_reply('OFFER_' .. (offer_state or 'EXPIRED') .. ' the offer is not open')
  end
  local until_ = tonumber(redis.call('HGET', hold.slot, 'hold_until') or '0')
  if redis.call('HGET', hold.slot, 'state') ~= 'HELD' or until_ <= hold.now or
      redis.call('HGET', hold.entry, 'offer') ~= hold.offer_id or
      redis.call('HGET', hold.entry, 'state') ~= 'OFFERED' then
    return redis.error_reply('OFFER_EXPIRED the hold ended')
  end
  ignore = hold.id
end

local course
if nextarg() == '1' then
  course = {listings = {}}
  course.key = nextkey()
  course.expected = nextarg()
  course.pb = nextarg()
  course.etag = nextarg()
  for i = 1, nextnum() do
    local listing = {}
    listing.key = nextkey()
    listing.score = nextarg()
    course.listings[i] = listing
  end
  local current = redis.call('HGET', course.key, 'etag')
  if course.expected ~= '' and current ~= course.expected then
    return redis.error_reply('ETAG_MISMATCH course')
  end
end

local sessions = {}
for i = 1, nextnum() do
  local s = {}
  s.key = nextkey()
  s.id = nextarg()
  s.pb = nextarg()
  s.etag = nextarg()
  s.start = nextnum()
  s.finish = nextnum()
  s.occupied = nextnum()
  s.practitioner = nextkey()
  s.patient = nextkey()
  s.rooms = nextrooms()
  s.listings = {}
  for j = 1, nextnum() do s.listings[j] = nextkey() end
  s.confirm_at = nextarg()

  local id, at = conflict(s.practitioner, s.start, s.occupied, ignore)
  if id then return conflict_reply(i, 'practitioner', '-', id, at) end
  local room, room_id, room_appt, room_at = pick_room(s.rooms, s.start, s.occupied, ignore)
  if not room then return conflict_reply(i, 'room', room_id, room_appt, room_at) end
  s.room = room
  id, at = conflict(s.patient, s.start, s.finish, '')
  if id then return conflict_reply(i, 'patient', '-', id, at) end
  for j = 1, i - 1 do
    local o = sessions[j]
    if o.start < s.occupied and s.start < o.occupied then
      return conflict_reply(i, 'practitioner', '-', o.id, o.start)
    end
  end
  sessions[i] = s
end

local rooms = {}
for i, s in ipairs(sessions) do
  redis.call('HSET', s.key, 'pb', with_room(s.pb, s.room.id), 'etag', s.etag,
             'occupied', s.occupied)
  redis.call('ZADD', s.practitioner, s.start, member(s.id, s.occupied))
  redis.call('ZADD', s.room.busy, s.start, member(s.id, s.occupied))
  redis.call('ZADD', s.patient, s.start, member(s.id, s.finish))
  redis.call('ZADD', s.room.listing, s.start, s.id)
  for _, listing in ipairs(s.listings) do redis.call('ZADD', listing, s.start, s.id) end
  if s.confirm_at ~= '' then redis.call('ZADD', confirmations, s.confirm_at, s.id) end
  rooms[i + 1] = s.room.id
end
if course then
  redis.call('HSET', course.key, 'pb', course.pb, 'etag', course.etag)
  for _, l in ipairs(course.listings) do redis.call('ZADD', l.key, l.score, result_id) end
end
xadd_events(stream, maxlen)
if hold then
  local booked = sessions[1]
  for _, busy in ipairs({booked.practitioner, booked.room.busy}) do
    redis.call('ZREM', busy, member(hold.id, hold.occupied))
  end
  redis.call('HSET', hold.slot, 'state', 'FILLED', 'appointment', booked.id)
  redis.call('ZREM', hold.due, hold.slot_id)
  redis.call('HSET', hold.offer, 'state', 'ACCEPTED', 'appointment', booked.id)
  local version = redis.call('HINCRBY', hold.entry, 'version', 1)
  redis.call('HSET', hold.entry, 'state', 'BOOKED', 'appointment', booked.id, 'etag', 'v' .. version)
  redis.call('ZREM', hold.index, hold.entry_id)
  for _, o in ipairs(hold.siblings) do
    if redis.call('HGET', o.key, 'state') == 'OPEN' then
      redis.call('HSET', o.key, 'state', 'TAKEN')
      if redis.call('HGET', o.entry, 'offer') == o.id and
          redis.call('HGET', o.entry, 'state') == 'OFFERED' then
        local v = redis.call('HINCRBY', o.entry, 'version', 1)
        redis.call('HSET', o.entry, 'state', 'WAITING', 'etag', 'v' .. v)
        redis.call('ZADD', hold.index, redis.call('HGET', o.entry, 'score'), o.entry_id)
      end
      redis.call('XADD', stream, 'MAXLEN', '~', maxlen, '*', 'e', o.event)
    end
  end
end
redis.call('SET', request_key, fingerprint .. '\n' .. result_id, 'EX', ttl)
rooms[1] = 'BOOKED'
return rooms
