-- Queues parked reminders of a day that is coming up (ParkPromoter): each
-- entry is compare-and-set on the record the promoter read, so a reminder
-- changed meanwhile (cancelled, rescheduled, erased) is left to the write
-- that changed it, which placed it itself. A reminder in flight is never
-- queued again. ZADD of an id already queued (a promotion re-run after a
-- crash) changes nothing, and only ids newly queued leave the parked count.
--
-- KEYS: 1 records, 2 queue, 3 inflight, 4 parked (STRING count)
-- ARGV: entries of 3 fields: id, stored record bytes as read, due ms
-- Returns the number of ids newly added to the queue.
local RECORDS, QUEUE, INFLIGHT, PARKED = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local adds = {}
for at = 1, #ARGV, 3 do
  local id = ARGV[at]
  if redis.call('HGET', RECORDS, id) == ARGV[at + 1] and not redis.call('ZSCORE', INFLIGHT, id) then
    adds[#adds + 1] = ARGV[at + 2]
    adds[#adds + 1] = id
  end
end
if #adds == 0 then return 0 end
local added = redis.call('ZADD', QUEUE, unpack(adds))
if added > 0 then redis.call('DECRBY', PARKED, added) end
return added
