-- Claims due reminders for one worker: moves their ids to the in-flight set,
-- scored by the lease's expiry. Atomic, so two workers never claim the same
-- reminder. Decisions:
--   1. Reminders whose lease ran out (their worker died mid-delivery) are
--      claimed first, then a quarter of the batch from retries (so a backlog
--      of new reminders cannot starve them, nor they it), then the queue.
--   2. The record is NOT rewritten: "in flight" is membership of the
--      in-flight set alone. A record keeps its S / R tag while claimed, and
--      every reader overlays 'I' on the ids the set holds (put_reminders.lua,
--      record_storage.cc, redis_reminder_queue.cc). That saves one record
--      write per reminder (it is written at create and at its outcome only).
--   3. Leases run on Redis's clock (TIME), not the worker's: "due" is the
--      engine's business (ARGV 1, its clock, which tests move), but whether a
--      live worker still holds a claim must not depend on how far two
--      replicas' clocks disagree. The worker renews its leases while it works
--      (renew_claims.lua), so the lease only bounds how long a dead worker's
--      claims wait.
--   4. Every claim gets a token no other claim of this organization ever had:
--      the next values of the `claimseq` counter (INCRBY), kept in the
--      `claims` hash beside the id. The outcome write and the renewal check
--      it (put_reminders.lua op 'O', renew_claims.lua), so a worker whose
--      claim was taken over can neither record an outcome nor renew it.
--   5. Records are read with one HMGET for the whole batch; an id without a
--      record (its patient was erased meanwhile) leaves the in-flight set.
--
-- KEYS: 1 records (HASH id -> tag + compact record), 2 queue (ZSET SCHEDULED
--       by due ms), 3 retry (ZSET RETRYING by next attempt ms), 4 inflight
--       (ZSET IN_FLIGHT by lease expiry ms, Redis's clock), 5 claims (HASH
--       id -> claim token), 6 claimseq (STRING: the last token handed out)
-- ARGV: 1 now ms (the engine's clock: what is due), 2 lease ms, 3 max reminders
-- Returns a flat array: id, record bytes (tagged 'I'), reclaimed (1/0),
-- claim token, ...
local RECORDS, QUEUE, RETRY, INFLIGHT, CLAIMS, SEQ = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local now = tonumber(ARGV[1])
local max = tonumber(ARGV[3])
local t = redis.call('TIME')
local clock = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease_until = string.format('%d', clock + tonumber(ARGV[2]))
local ids, reclaimed = {}, {}

local function take(list, flag)
  for _, id in ipairs(list) do
    ids[#ids + 1] = id
    reclaimed[#ids] = flag
  end
end

take(redis.call('ZRANGEBYSCORE', INFLIGHT, '-inf', clock, 'LIMIT', 0, max), 1)

local function take_due(set, limit)
  if limit <= 0 then return end
  local due = redis.call('ZRANGEBYSCORE', set, '-inf', now, 'LIMIT', 0, limit)
  if #due == 0 then return end
  redis.call('ZREM', set, unpack(due))
  take(due, 0)
end
take_due(RETRY, math.min(max - #ids, math.ceil(max / 4)))
take_due(QUEUE, max - #ids)
take_due(RETRY, max - #ids)
if #ids == 0 then return {} end

local records = redis.call('HMGET', RECORDS, unpack(ids))
local first = redis.call('INCRBY', SEQ, #ids) - #ids
local out, leased, tokens, gone = {}, {}, {}, {}
for i, id in ipairs(ids) do
  local record = records[i]
  if record then
    local token = string.format('%d', first + i)
    leased[#leased + 1] = lease_until
    leased[#leased + 1] = id
    tokens[#tokens + 1] = id
    tokens[#tokens + 1] = token
    out[#out + 1] = id
    out[#out + 1] = 'I' .. string.sub(record, 2)
    out[#out + 1] = reclaimed[i]
    out[#out + 1] = token
  else
    gone[#gone + 1] = id
  end
end
if #leased > 0 then
  redis.call('ZADD', INFLIGHT, unpack(leased))
  redis.call('HSET', CLAIMS, unpack(tokens))
end
if #gone > 0 then
  redis.call('ZREM', INFLIGHT, unpack(gone))
  redis.call('HDEL', CLAIMS, unpack(gone))
end
return out
