-- Claims due reminders for one worker: moves them to the in-flight set,
-- scored by the lease's expiry, and tags their records IN_FLIGHT. Reminders
-- whose lease ran out (their worker died mid-delivery) are claimed first.
-- Atomic, so two workers never claim the same reminder.
--
-- KEYS: 1 records, 2 queue (SCHEDULED), 3 retry (RETRYING), 4 inflight
-- ARGV: 1 now ms, 2 lease ms, 3 max reminders
-- Returns a flat array: id, record bytes (tagged 'I'), reclaimed (1/0), ...
local RECORDS, QUEUE, RETRY, INFLIGHT = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now = tonumber(ARGV[1])
local lease_until = now + tonumber(ARGV[2])
local max = tonumber(ARGV[3])
local out = {}
local tagged = {}  -- field/value pairs for one HSET at the end
local leased = {}  -- score/member pairs for one ZADD at the end

local function claimed() return #out / 3 end

local function claim(ids, reclaimed)
  for _, id in ipairs(ids) do
    local record = redis.call('HGET', RECORDS, id)
    if record then
      record = 'I' .. string.sub(record, 2)
      tagged[#tagged + 1] = id
      tagged[#tagged + 1] = record
      leased[#leased + 1] = lease_until
      leased[#leased + 1] = id
      out[#out + 1] = id
      out[#out + 1] = record
      out[#out + 1] = reclaimed
    else
      redis.call('ZREM', INFLIGHT, id)  -- deleted meanwhile (patient erased)
    end
  end
end

local function take_due(set, limit)
  if limit <= 0 then return end
  local ids = redis.call('ZRANGEBYSCORE', set, '-inf', now, 'LIMIT', 0, limit)
  if #ids == 0 then return end
  redis.call('ZREM', set, unpack(ids))
  claim(ids, 0)
end

claim(redis.call('ZRANGEBYSCORE', INFLIGHT, '-inf', now, 'LIMIT', 0, max), 1)
-- Retries get a quarter of the batch first, so a backlog of new reminders
-- cannot starve them (nor they it).
take_due(RETRY, math.min(max - claimed(), math.ceil(max / 4)))
take_due(QUEUE, max - claimed())
take_due(RETRY, max - claimed())
if #tagged > 0 then
  redis.call('HSET', RECORDS, unpack(tagged))
  redis.call('ZADD', INFLIGHT, unpack(leased))
end
return out
