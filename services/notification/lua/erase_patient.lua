-- Erases one patient's reminders and delivered messages (GDPR erasure) and
-- remembers the patient, so replayed events plan nothing for them again.
--
-- KEYS: 1 records, 2 queue, 3 retry, 4 inflight, 5 dead, 6 done, 7 erased,
--       8 deliveries, 9 delivery_time, 10 patient open index, 11 patient deliveries
--       (only written before deliveries were found through the indexes),
--       12 patient final index, 13 claims (HASH id -> claim token),
--       14 parked (STRING: SCHEDULED records neither queued nor in flight)
-- ARGV: 1 patient id
-- Returns the number of reminders deleted. A parked reminder's bucket entry
-- stays and is skipped at promotion (its record is gone).
local deleted = 0
local parked = 0
for _, index in ipairs({KEYS[10], KEYS[12]}) do
  local ids = redis.call('HKEYS', index)
  for _, id in ipairs(ids) do
    local record = redis.call('HGET', KEYS[1], id)
    redis.call('HDEL', KEYS[1], id)
    local queued = redis.call('ZREM', KEYS[2], id) == 1
    local in_flight = redis.call('ZREM', KEYS[4], id) == 1
    for _, set in ipairs({3, 5, 6}) do redis.call('ZREM', KEYS[set], id) end
    if record and string.sub(record, 1, 1) == 'S' and not queued and not in_flight then
      parked = parked + 1
    end
    redis.call('HDEL', KEYS[13], id)  -- a claim in flight ends with it
    redis.call('HDEL', KEYS[8], id)  -- its delivered message, if any
    redis.call('ZREM', KEYS[9], id)
  end
  deleted = deleted + #ids
  redis.call('DEL', index)
end
local delivered = redis.call('ZRANGE', KEYS[11], 0, -1)
for _, id in ipairs(delivered) do
  redis.call('HDEL', KEYS[8], id)
  redis.call('ZREM', KEYS[9], id)
end
redis.call('DEL', KEYS[11])
redis.call('SADD', KEYS[7], ARGV[1])
if parked > 0 then redis.call('DECRBY', KEYS[14], parked) end
return deleted
