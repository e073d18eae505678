-- Erases one patient's reminders and delivered messages (GDPR erasure) and
-- remembers the patient, so replayed events plan nothing for them again.
--
-- KEYS: 1 records, 2 queue, 3 retry, 4 inflight, 5 dead, 6 done, 7 erased,
--       8 deliveries, 9 delivery_time, 10 patient open index, 11 patient deliveries
--       (only written before deliveries were found through the indexes),
--       12 patient final index, 13 claims (HASH id -> claim token)
-- ARGV: 1 patient id
-- Returns the number of reminders deleted.
local deleted = 0
for _, index in ipairs({KEYS[10], KEYS[12]}) do
  local ids = redis.call('HKEYS', index)
  for _, id in ipairs(ids) do
    redis.call('HDEL', KEYS[1], id)
    for set = 2, 6 do redis.call('ZREM', KEYS[set], id) end
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
return deleted
