-- Creates a patient once per request_id, atomically with its index entries,
-- its CREATE audit entry and its initial consent history.
-- KEYS[1] request_id -> patient id    KEYS[2] patient hash
-- KEYS[3..6] name, phone, e-mail, home-clinic indexes (lex sorted sets)
-- KEYS[7] tenant audit stream         KEYS[8] patient audit stream
-- KEYS[9] consent history list
-- ARGV[1] request fingerprint  ARGV[2] patient id  ARGV[3] Patient bytes
-- ARGV[4..7] index members ('' = not indexed)  ARGV[8] AuditEntry bytes
-- ARGV[9] audit retention cutoff (stream ms; '0' keeps everything): entries
--   before it leave the patient's stream exactly, the tenant's by whole nodes
-- ARGV[10..] initial ChannelConsent bytes
-- Returns {'CREATED', etag} or {'EXISTS', earlier patient id}.
local earlier = redis.call('GET', KEYS[1])
if earlier then
  return {'EXISTS', earlier}
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  return redis.error_reply('ID_TAKEN the new patient id exists')
end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('HSET', KEYS[2], 'data', ARGV[3], 'etag', '1', 'request_fp', ARGV[1],
  'ix_name', ARGV[4], 'ix_phone', ARGV[5], 'ix_email', ARGV[6], 'ix_clinic', ARGV[7])
for i = 1, 4 do
  if ARGV[i + 3] ~= '' then
    redis.call('ZADD', KEYS[i + 2], 0, ARGV[i + 3])
  end
end
redis.call('XADD', KEYS[7], 'MINID', '~', ARGV[9], '*', 'a', ARGV[8])
redis.call('XADD', KEYS[8], 'MINID', ARGV[9], '*', 'a', ARGV[8])
for i = 10, #ARGV do
  redis.call('RPUSH', KEYS[9], ARGV[i])
end
return {'CREATED', '1'}
