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
--   3. The lease expiry is the claim's token: the outcome write checks it
--      instead of comparing the whole record (put_reminders.lua, op 'O').
--      A reclaim scores above the lease it takes over (max(now + lease,
--      old + 1)), so one reminder's tokens only grow while it stays in flight.
--   4. Records are read with one HMGET for the whole batch; an id without a
--      record (its patient was erased meanwhile) leaves the in-flight set.
--
-- KEYS: 1 records (HASH id -> tag + compact record), 2 queue (ZSET SCHEDULED
--       by due ms), 3 retry (ZSET RETRYING by next attempt ms), 4 inflight
--       (ZSET IN_FLIGHT by lease expiry ms = claim token)
-- ARGV: 1 now ms, 2 lease ms, 3 max reminders
-- Returns a flat array: id, record bytes (tagged 'I'), reclaimed (1/0),
-- claim token (lease expiry ms), ...
local RECORDS, QUEUE, RETRY, INFLIGHT = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now = tonumber(ARGV[1])
local lease_until = now + tonumber(ARGV[2])
local max = tonumber(ARGV[3])
local ids, reclaimed, tokens = {}, {}, {}

local function take(list, flag, token_of)
  for i, id in ipairs(list) do
    ids[#ids + 1] = id
    reclaimed[#ids] = flag
    tokens[#ids] = token_of(i)
  end
end

-- Expired leases, with their old expiry (WITHSCORES: id, score, id, ...).
local expired = redis.call('ZRANGEBYSCORE', INFLIGHT, '-inf', now, 'WITHSCORES', 'LIMIT', 0, max)
local expired_ids = {}
for i = 1, #expired, 2 do expired_ids[#expired_ids + 1] = expired[i] end
take(expired_ids, 1, function(i)
  return math.max(lease_until, tonumber(expired[2 * i]) + 1)
end)

local function take_due(set, limit)
  if limit <= 0 then return end
  local due = redis.call('ZRANGEBYSCORE', set, '-inf', now, 'LIMIT', 0, limit)
  if #due == 0 then return end
  redis.call('ZREM', set, unpack(due))
  take(due, 0, function() return lease_until end)
end
take_due(RETRY, math.min(max - #ids, math.ceil(max / 4)))
take_due(QUEUE, max - #ids)
take_due(RETRY, max - #ids)
if #ids == 0 then return {} end

local records = redis.call('HMGET', RECORDS, unpack(ids))
local out, leased, gone = {}, {}, {}
for i, id in ipairs(ids) do
  local record = records[i]
  if record then
    local token = string.format('%d', tokens[i])
    leased[#leased + 1] = token
    leased[#leased + 1] = id
    out[#out + 1] = id
    out[#out + 1] = 'I' .. string.sub(record, 2)
    out[#out + 1] = reclaimed[i]
    out[#out + 1] = token
  else
    gone[#gone + 1] = id
  end
end
if #leased > 0 then redis.call('ZADD', INFLIGHT, unpack(leased)) end
if #gone > 0 then redis.call('ZREM', INFLIGHT, unpack(gone)) end
return out
