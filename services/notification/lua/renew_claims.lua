-- Renews the leases of claims a live worker is still working on (its
-- heartbeat, a few times per lease), so a send that takes longer than the
-- lease is never taken over while a dead worker's claims run out within one
-- lease. A claim is renewed only while it is still the one the worker made:
-- its token is the reminder's current claim token (claim_due.lua) and the id
-- is still in flight. Others are reported back as lost (taken over after the
-- lease ran out, or ended by an erasure), so the worker does not send them.
--
-- KEYS: 1 inflight (ZSET id by lease expiry ms, Redis's clock), 2 claims
--       (HASH id -> claim token)
-- ARGV: 1 lease ms, then pairs: id, claim token
-- Returns the ids whose claim is lost.
local INFLIGHT, CLAIMS = KEYS[1], KEYS[2]
local t = redis.call('TIME')
local lease_until = string.format('%d',
  tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1]))
local renewed, lost = {}, {}
for i = 2, #ARGV, 2 do
  local id, token = ARGV[i], ARGV[i + 1]
  if redis.call('HGET', CLAIMS, id) == token and redis.call('ZSCORE', INFLIGHT, id) then
    renewed[#renewed + 1] = lease_until
    renewed[#renewed + 1] = id
  else
    lost[#lost + 1] = id
  end
end
if #renewed > 0 then redis.call('ZADD', INFLIGHT, 'XX', unpack(renewed)) end
return lost
