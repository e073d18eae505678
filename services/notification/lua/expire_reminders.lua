-- Deletes reminders past retention: final ones (DELIVERED, SUPPRESSED,
-- CANCELLED) with their delivered message, and dead letters, each only if
-- its record still has the state the sweeper read (a dead letter requeued
-- meanwhile stays). Its patient's index entries and delivery entries go
-- with it. Its appointment's snapshot guard stays: sibling reminders of the
-- appointment may still be open, and the guard expires by its own TTL.
--
-- KEYS: 1 records, 2 done, 3 dead, 4 deliveries, 5 delivery_time,
--       6.. per-call keys (patient indexes, patient delivery sets)
-- ARGV: entries of 5 fields: id, state tag read, patient open index key
--       index, patient final index key index, patient deliveries key index
-- Returns the number of reminders (or orphaned set entries) deleted.
local RECORDS, DONE, DEAD, DELIVERIES, DELIVERY_TIME = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local WIDTH = 5
local deleted = 0
local gone = {}  -- ids, for one HDEL / ZREM per key at the end
local per_key = {}

local function later(key, cmd, id)
  local list = per_key[key]
  if not list then
    list = {cmd = cmd}
    per_key[key] = list
  end
  list[#list + 1] = id
end
-- What each per-entry key field holds: the command that removes the id.
local CMD_OF = {[2] = 'HDEL', [3] = 'HDEL', [4] = 'ZREM'}

local function key(index)
  local k = tonumber(index)
  if k > 0 then return KEYS[k] end
  return nil
end

for at = 1, #ARGV, WIDTH do
  local id, tag = ARGV[at], ARGV[at + 1]
  local record = redis.call('HGET', RECORDS, id)
  -- No record (tag ''): a set entry left behind, removed from the sets only.
  if (not record and tag == '') or (record and string.sub(record, 1, 1) == tag) then
    gone[#gone + 1] = id
    for k = 2, 4 do
      local index = key(ARGV[at + k])
      if index then later(index, CMD_OF[k], id) end
    end
    deleted = deleted + 1
  end
end
if #gone == 0 then return 0 end

local CHUNK = 1000
local function each_chunk(list, fn)
  for first = 1, #list, CHUNK do fn(unpack(list, first, math.min(first + CHUNK - 1, #list))) end
end
each_chunk(gone, function(...) redis.call('HDEL', RECORDS, ...) end)
each_chunk(gone, function(...) redis.call('ZREM', DONE, ...) end)
each_chunk(gone, function(...) redis.call('ZREM', DEAD, ...) end)
each_chunk(gone, function(...) redis.call('HDEL', DELIVERIES, ...) end)
each_chunk(gone, function(...) redis.call('ZREM', DELIVERY_TIME, ...) end)
for k, ids in pairs(per_key) do
  each_chunk(ids, function(...) redis.call(ids.cmd, k, ...) end)
end
return deleted
