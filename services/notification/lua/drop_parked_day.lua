-- Ends a promoted day: deletes its bucket and its `park_days` entry, but
-- only if the bucket is still exactly as long as what the promoter read --
-- an id appended meanwhile has not been promoted, and is read next.
--
-- KEYS: 1 the day's bucket, 2 park_days
-- ARGV: 1 bytes of the bucket the promoter handled, 2 the day
-- Returns -1 when the day was dropped, else the bucket's current length
-- (longer: read on; shorter: another promoter dropped it, a write may have
-- started it again, so read it from the start).
local length = redis.call('STRLEN', KEYS[1])
if length ~= tonumber(ARGV[1]) then return length end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[2])
return -1
