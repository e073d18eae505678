-- calendar.lua: shared by book_appointment.lua and reschedule_appointment.lua
-- (prepended to each when the store loads them; never run alone).
--
-- Busy calendars are sorted sets, one per practitioner, room and patient,
-- holding the BOOKED and ARRIVED appointments: score = start (Unix seconds),
-- member = '<appointment id>|<end>', where end includes the clinic's buffer
-- for practitioners and rooms, not for patients. Intervals are [start, end).
--
-- Arguments are read in order with nextarg/nextnum; nextkey reads a KEYS
-- index (all keys share the tenant's hash tag). Read them one statement at
-- a time: Lua leaves the evaluation order of a table constructor or an
-- expression list unspecified.
local argi = 0
local function nextarg()
  argi = argi + 1
  return ARGV[argi]
end
local function nextnum()
  return tonumber(nextarg())
end
local function nextkey()
  return KEYS[nextnum()]
end

-- The longest busy interval any calendar holds: an 8 h session (the
-- protocol maximum) plus a 60 min buffer (the clinic maximum). Only members
-- starting less than this before `start` can reach into [start, finish).
local MAX_SPAN = 9 * 3600

local function member(id, finish)
  return id .. '|' .. finish
end

-- The first appointment (id, start) in calendar `key` overlapping
-- [start, finish), ignoring `self_id` (an appointment being moved); nil when
-- the calendar is free then.
local function conflict(key, start, finish, self_id)
  local items = redis.call('ZRANGEBYSCORE', key, start - MAX_SPAN, '(' .. finish, 'WITHSCORES')
  for i = 1, #items, 2 do
    local m = items[i]
    local sep = string.find(m, '|', 1, true)
    local id = string.sub(m, 1, sep - 1)
    local s, e = tonumber(items[i + 1]), tonumber(string.sub(m, sep + 1))
    if id ~= self_id and s < finish and e > start then return id, s end
  end
  return nil
end

-- Reads a room candidate list: n, then n x (id, busy key, listing key).
local function nextrooms()
  local rooms = {}
  for i = 1, nextnum() do
    local room = {}
    room.id = nextarg()
    room.busy = nextkey()
    room.listing = nextkey()
    rooms[i] = room
  end
  return rooms
end

-- The first candidate room free for [start, finish), or nil plus the
-- conflict to report: the room's id and appointment when only one room was
-- asked for, '-' (no room free) otherwise.
local function pick_room(rooms, start, finish, self_id)
  local first_id, first_start
  for _, room in ipairs(rooms) do
    local id, s = conflict(room.busy, start, finish, self_id)
    if not id then return room end
    if not first_id then first_id, first_start = id, s end
  end
  if #rooms == 1 then return nil, rooms[1].id, first_id, first_start end
  return nil, '-', first_id or '-', first_start or start
end

-- 'CONFLICT <session> <kind> <resource id> <appointment id> <start>'
local function conflict_reply(session, kind, resource, appointment, start)
  return redis.error_reply(table.concat(
      {'CONFLICT', session, kind, resource, appointment or '-', start or 0}, ' '))
end

-- Appends `room_id` as Appointment.room_id (field 8, length-delimited) to a
-- serialized Appointment: protobuf keeps the last value of a singular
-- field, so the C++ side serializes without a room and the script adds the
-- one it picked. Ids are short ASCII, but the length is a proper varint.
local function with_room(pb, room_id)
  local n, len = #room_id, {}
  repeat
    local b = n % 128
    n = math.floor(n / 128)
    if n > 0 then b = b + 128 end
    len[#len + 1] = string.char(b)
  until n == 0
  return pb .. string.char(0x42) .. table.concat(len) .. room_id
end

-- Reads n, then n serialized events, and appends them to `stream`.
local function xadd_events(stream, maxlen)
  for _ = 1, nextnum() do
    redis.call('XADD', stream, 'MAXLEN', '~', maxlen, '*', 'e', nextarg())
  end
end
