-- Reads a patient and appends the audit entry of that read in one step, so
-- no medical profile leaves Redis unaudited. Mode 'export' also returns the
-- consent history and the whole audit trail (including this entry).
-- KEYS[1] patient hash  KEYS[2] tenant audit stream
-- KEYS[3] patient audit stream  KEYS[4] consent history list
-- ARGV[1] AuditEntry bytes  ARGV[2] 'read' or 'export'
-- ARGV[3] audit retention cutoff (as in create_patient.lua)
-- Returns {Patient bytes, etag[, consent history, audit trail (XRANGE)]};
-- errors NOT_FOUND, ERASED <time>.
local current = redis.call('HMGET', KEYS[1], 'data', 'etag', 'erase_time')
if current[3] then
  return redis.error_reply('ERASED ' .. current[3])
end
if not current[1] then
  return redis.error_reply('NOT_FOUND no such patient')
end
redis.call('XADD', KEYS[2], 'MINID', '~', ARGV[3], '*', 'a', ARGV[1])
redis.call('XADD', KEYS[3], 'MINID', ARGV[3], '*', 'a', ARGV[1])
if ARGV[2] ~= 'export' then
  return {current[1], current[2]}
end
return {current[1], current[2], redis.call('LRANGE', KEYS[4], 0, -1),
  redis.call('XRANGE', KEYS[3], '-', '+')}
