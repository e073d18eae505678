-- Trims an audit stream to the retention, for streams nobody writes to (a
-- write trims its own streams): removes the entries before the cutoff and
-- deletes the stream when none is left, in one step, so an entry appended
-- meanwhile is never lost with it.
-- KEYS[1] audit stream (a patient's or the tenant's)
-- ARGV[1] cutoff (stream ms)  ARGV[2] '=' exact (a patient's stream) or '~'
--   whole nodes only (the tenant's: bounded work per call)
-- Returns the number of entries removed.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
local removed = redis.call('XTRIM', KEYS[1], 'MINID', ARGV[2], ARGV[1])
if redis.call('XLEN', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[1])
end
return removed
