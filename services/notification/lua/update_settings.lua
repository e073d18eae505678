-- Replaces the organization's notification settings iff the caller's etag is
-- the current one (optimistic concurrency).
--
-- KEYS: 1 settings hash {v, etag}
-- ARGV: 1 expected etag ("0" while defaults apply), 2 new settings bytes
-- Returns the new etag, or an "ETAG_MISMATCH <current>" error.
local current = redis.call('HGET', KEYS[1], 'etag') or '0'
if current ~= ARGV[1] then
  return redis.error_reply('ETAG_MISMATCH ' .. current)
end
local next_etag = tostring(tonumber(current) + 1)
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'etag', next_etag)
return next_etag
