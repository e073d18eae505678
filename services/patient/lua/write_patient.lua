-- Compare-and-set of a patient record: only if its etag is still the one
-- the caller read. Moves its index entries, appends audit entries and a
-- consent change, and publishes an event, all or nothing.
-- KEYS[1] patient hash  KEYS[2..5] name, phone, e-mail, home-clinic indexes
-- KEYS[6] tenant audit stream  KEYS[7] patient audit stream
-- KEYS[8] consent history list  KEYS[9] event stream
-- ARGV[1] expected etag  ARGV[2] Patient bytes  ARGV[3..6] index members
-- ARGV[7] ChannelConsent bytes or ''  ARGV[8] Event bytes or ''
-- ARGV[9] event stream MAXLEN
-- ARGV[10] audit retention cutoff (as in create_patient.lua)
-- ARGV[11..] AuditEntry bytes
-- Returns the new etag; errors NOT_FOUND, ERASED <time>, ETAG_MISMATCH.
local current = redis.call('HMGET', KEYS[1], 'etag', 'erase_time',
  'ix_name', 'ix_phone', 'ix_email', 'ix_clinic')
if current[2] then
  return redis.error_reply('ERASED ' .. current[2])
end
if not current[1] then
  return redis.error_reply('NOT_FOUND no such patient')
end
if current[1] ~= ARGV[1] then
  return redis.error_reply('ETAG_MISMATCH the etag is stale')
end
for i = 1, 4 do
  local old, new = current[i + 2] or '', ARGV[i + 2]
  if old ~= new then
    if old ~= '' then redis.call('ZREM', KEYS[i + 1], old) end
    if new ~= '' then redis.call('ZADD', KEYS[i + 1], 0, new) end
  end
end
local etag = tostring(tonumber(current[1]) + 1)
redis.call('HSET', KEYS[1], 'data', ARGV[2], 'etag', etag,
  'ix_name', ARGV[3], 'ix_phone', ARGV[4], 'ix_email', ARGV[5], 'ix_clinic', ARGV[6])
for i = 11, #ARGV do
  redis.call('XADD', KEYS[6], 'MINID', '~', ARGV[10], '*', 'a', ARGV[i])
  redis.call('XADD', KEYS[7], 'MINID', ARGV[10], '*', 'a', ARGV[i])
end
if ARGV[7] ~= '' then
  redis.call('RPUSH', KEYS[8], ARGV[7])
end
if ARGV[8] ~= '' then
  redis.call('XADD', KEYS[9], 'MAXLEN', '~', ARGV[9], '*', 'e', ARGV[8])
end
return etag
