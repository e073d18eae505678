-- Marks one committed erasure as not yet rewritten out of Redis's AOF/RDB
-- files (store/erasure_ledger.h). The score is Redis's own clock, so every
-- replica and the rewriter compare times on one clock.
-- KEYS[1] pending sorted set (df:ops:erasures_pending)
-- ARGV[1] member: a digest of organization and patient id (no id in clear)
-- Returns the score (Redis time in milliseconds).
local t = redis.call('TIME')
local ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], ms, ARGV[1])
return ms
