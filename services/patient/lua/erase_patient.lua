-- GDPR erasure: replaces the patient hash by a tombstone (erase time, who,
-- why), removes every index entry and the consent history, and appends the
-- ERASE audit entry and the patient.erased event in the same step. The
-- request_id key (-> patient id) stays so a retried create cannot bring the
-- patient back; the audit streams stay (they hold no personal data).
-- KEYS[1] patient hash  KEYS[2..5] name, phone, e-mail, home-clinic indexes
-- KEYS[6] tenant audit stream  KEYS[7] patient audit stream
-- KEYS[8] consent history list  KEYS[9] event stream
-- ARGV[1] expected etag  ARGV[2] erase time  ARGV[3] erased by  ARGV[4] reason
-- ARGV[5] AuditEntry bytes  ARGV[6] Event bytes  ARGV[7] event stream MAXLEN
-- ARGV[8] audit retention cutoff (as in create_patient.lua)
-- Returns 'ERASED' or 'ALREADY_ERASED'; errors NOT_FOUND, ETAG_MISMATCH.
local current = redis.call('HMGET', KEYS[1], 'etag', 'erase_time',
  'ix_name', 'ix_phone', 'ix_email', 'ix_clinic')
if current[2] then
  return 'ALREADY_ERASED'
end
if not current[1] then
  return redis.error_reply('NOT_FOUND no such patient')
end
if current[1] ~= ARGV[1] then
  return redis.error_reply('ETAG_MISMATCH the etag is stale')
end
for i = 1, 4 do
  local member = current[i + 2]
  if member and member ~= '' then redis.call('ZREM', KEYS[i + 1], member) end
end
redis.call('DEL', KEYS[1], KEYS[8])
redis.call('HSET', KEYS[1], 'erase_time', ARGV[2], 'erased_by', ARGV[3], 'reason', ARGV[4])
redis.call('XADD', KEYS[6], 'MINID', '~', ARGV[8], '*', 'a', ARGV[5])
redis.call('XADD', KEYS[7], 'MINID', ARGV[8], '*', 'a', ARGV[5])
redis.call('XADD', KEYS[9], 'MAXLEN', '~', ARGV[7], '*', 'e', ARGV[6])
return 'ERASED'
