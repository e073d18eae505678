-- UpdateProtocol: appends a version iff the caller built it on the latest
-- one (the etag check and the write are one atomic step).
-- KEYS[1] protocol hash df:{org}:protocol:<id>
-- ARGV[1] the version the caller started from, ARGV[2] the new version,
-- ARGV[3] the new version, serialized
-- Errors: "NOT_FOUND <key>", "ETAG_MISMATCH <latest>". (An error text
-- without a space would reach the client as "ERR <text>".)
local latest = redis.call('HGET', KEYS[1], 'version')
if not latest then
  return redis.error_reply('NOT_FOUND ' .. KEYS[1])
end
if latest ~= ARGV[1] then
  return redis.error_reply('ETAG_MISMATCH ' .. latest)
end
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'latest', ARGV[3], ARGV[2], ARGV[3])
return 1
