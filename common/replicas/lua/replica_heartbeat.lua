-- One replica's heartbeat in its service's membership set, and the set as it
-- stands: members scored by when their heartbeat runs out, on Redis's clock
-- (TIME), so replicas whose clocks disagree still agree on who is alive.
-- Members whose heartbeat ran out are removed here, by whoever beats next.
-- KEYS: 1 members (ZSET replica id -> expiry ms)
-- ARGV: 1 replica id, 2 ttl ms (0: leave the set now, a clean shutdown)
-- Returns the live members' ids, sorted.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if tonumber(ARGV[2]) > 0 then
  redis.call('ZADD', KEYS[1], string.format('%d', now + tonumber(ARGV[2])), ARGV[1])
else
  redis.call('ZREM', KEYS[1], ARGV[1])
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%d', now))
-- A set nobody beats into any more goes away by itself.
redis.call('PEXPIRE', KEYS[1], math.max(tonumber(ARGV[2]), 1000) * 10)
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
table.sort(members)
return members
