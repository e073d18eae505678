-- CreateProtocol: stores version 1 of a new protocol and remembers the
-- request id, atomically, so a retried request never makes a second protocol.
-- KEYS[1] request key   df:{org}:protocol_request:<sha1(request_id)>
-- KEYS[2] protocol hash df:{org}:protocol:<id>
-- KEYS[3] index zset    df:{org}:protocols
-- ARGV[1] request fingerprint, ARGV[2] id, ARGV[3] index member,
-- ARGV[4] serialized Protocol (version 1), ARGV[5] request key TTL (seconds)
-- Returns "<fingerprint> <id>" of the request that created the protocol
-- (this one, or the earlier one with the same request id).
local prior = redis.call('GET', KEYS[1])
if prior then
  return prior
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  return redis.error_reply('ID_TAKEN ' .. ARGV[2])
end
redis.call('HSET', KEYS[2], 'version', 1, 'latest', ARGV[4], '1', ARGV[4])
redis.call('ZADD', KEYS[3], 0, ARGV[3])
local record = ARGV[1] .. ' ' .. ARGV[2]
redis.call('SET', KEYS[1], record, 'EX', ARGV[5])
return record
