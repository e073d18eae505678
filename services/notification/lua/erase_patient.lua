-- Erases one patient's reminders and delivered messages (GDPR erasure) and
-- remembers the patient, so replayed events plan nothing for them again.
--
-- KEYS: 1 records, 2 queue, 3 retry, 4 inflight, 5 dead, 6 done, 7 erased,
--       8 deliveries, 9 delivery_time, 10 patient index, 11 patient deliveries
-- ARGV: 1 patient id
-- Returns the number of reminders deleted.
local ids = redis.call('HKEYS', KEYS[10])
for _, id in ipairs(ids) do
  redis.call('HDEL', KEYS[1], id)
  for set = 2, 6 do redis.call('ZREM', KEYS[set], id) end
end
redis.call('DEL', KEYS[10])
local delivered = redis.call('ZRANGE', KEYS[11], 0, -1)
for _, id in ipairs(delivered) do
  redis.call('HDEL', KEYS[8], id)
  redis.call('ZREM', KEYS[9], id)
end
redis.call('DEL', KEYS[11])
redis.call('SADD', KEYS[7], ARGV[1])
return #ids
