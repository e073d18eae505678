-- Applies groups of compare-and-set writes to one organization's reminders.
-- A record is its state tag (first byte) + StoredReminder; the tag says which
-- sorted set holds its id, so every write keeps record and sets in step --
-- except IN_FLIGHT: a claim does not rewrite the record, so a record whose
-- id is in the in-flight set is IN_FLIGHT whatever its tag says (current()).
--
-- Each patient has two indexes: open reminders (what planning reads) and
-- final ones (kept until retention deletes them). A create lists the id in
-- the one its state belongs to and a delete removes it from both; an update
-- that ends a reminder leaves it in the open index, and planning moves it
-- over when it next reads the patient (settle_patient_index.lua), so the
-- dispatcher's outcome write pays nothing per reminder for the index.
--
-- A SCHEDULED reminder due far ahead is parked rather than queued (the
-- caller decides, domain/parking.h, and names the day's bucket): its id is
-- appended to the bucket, the day added to `park_days`, and the record keeps
-- its 'S' tag -- 'S' means "queued or parked". Leaving S is a ZREM on the
-- queue as before, a no-op for a parked id, whose bucket entry goes stale
-- (promote_parked.lua skips it). `parked` counts the S records that are in
-- neither the queue nor the in-flight set, so the gauges count them exactly.
--
-- KEYS: 1 records, 2 queue, 3 retry, 4 inflight, 5 dead, 6 done, 7 erased,
--       8 deliveries, 9 delivery_time, 10 delivery_stream, 11 delivery_watched,
--       12 claims (HASH id -> claim token, claim_due.lua),
--       13 appointment guards (ZSET appointment id -> newest snapshot ms),
--       14 park_days (ZSET day -> day), 15 parked (STRING count),
--       16.. per-call keys (patient indexes, park buckets `rem:park:<day>`).
-- ARGV[1]: delivery stream max length, ARGV[2]: delivery stream retention ms
-- (older entries are trimmed by Redis's clock, which stamped them; '0' none).
-- Then entries of 10 fields each:
--   group header: 'B', atomic ('1'/'0'), appointment id of the guard ('' none),
--                 its snapshot update ms, '', erased-check patient id ('' none), '', '', '', ''
--   write:        op ('C' create, 'U' update, 'D' delete, 'O' outcome of a
--                 claim: an update checked by the claim token, not the bytes),
--                 id, expected bytes ('O': the claim token),
--                 new bytes, score, patient open index key index (0: none),
--                 delivery bytes ('' none), delivered ms, park bucket key
--                 index (0: not parked; only for a new SCHEDULED record),
--                 patient final index key index (0: none)
-- Returns one integer per entry: header 1 applied, -1 conflict, -2 stale
-- snapshot, -3 patient erased; write 1 applied, 0 skipped, -1 conflict.
--
-- Writes are collected and issued once per key at the end: a redis.call has
-- a fixed cost, and a batch of hundreds of reminders would pay it seven
-- times each. Reads inside the script see the collected writes.
local RECORDS, QUEUE, INFLIGHT, ERASED, CLAIMS, GUARDS = KEYS[1], KEYS[2], KEYS[4], KEYS[7], KEYS[12], KEYS[13]
local PARK_DAYS, PARKED = KEYS[14], KEYS[15]
local DELIVERIES, DELIVERY_TIME, DELIVERY_STREAM = KEYS[8], KEYS[9], KEYS[10]
-- The stream only feeds WatchNotifications: skip it while nobody watches.
local WATCHED = redis.call('EXISTS', KEYS[11]) == 1
local SET_OF = {S = KEYS[2], R = KEYS[3], I = KEYS[4], L = KEYS[5], D = KEYS[6], C = KEYS[6], X = KEYS[6]}
local OPEN = {S = true, R = true, I = true, L = true}
local WIDTH = 10
local HEAD = 2
local entries = (#ARGV - HEAD) / WIDTH

local function arg(i, k) return ARGV[HEAD + (i - 1) * WIDTH + k] end

local records = {}       -- id -> new record bytes, or false once deleted
local record_order = {}  -- ids in the order first written
local placed = {}        -- id -> {from = set at first touch, to = set now, score,
                         --        park = bucket now (nil: not parked), was_parked}
local indexed = {}       -- id -> {from = patient index at first touch, to = now}
local delivered_any = false
local lists = {}         -- 'CMD key' -> {cmd, key, args...} issued at the end

local function push(cmd, key, a, b)
  local name = cmd .. ' ' .. key
  local list = lists[name]
  if not list then
    list = {cmd = cmd, key = key}
    lists[name] = list
  end
  list[#list + 1] = a
  if b ~= nil then list[#list + 1] = b end
end

-- The record as its readers see it: a claim leaves the bytes alone and only
-- lists the id in the in-flight set (claim_due.lua), so an id found there
-- reads as 'I'. Writes made earlier in this call come first.
local function current(id)
  local r = records[id]
  if r ~= nil then return r end
  r = redis.call('HGET', RECORDS, id)
  if r and redis.call('ZSCORE', INFLIGHT, id) then r = 'I' .. string.sub(r, 2) end
  return r
end

-- The patient index a record belongs in: open or final by its state tag.
local function index_key(bytes, i)
  if not bytes then return nil end
  local k = tonumber(OPEN[string.sub(bytes, 1, 1)] and arg(i, 6) or arg(i, 10))
  if k > 0 then return KEYS[k] end
  return nil
end

-- Creates and deletes only: see the top of this file.
local function write_record(id, old, new, score, i, indexes)
  if indexes then
    local x = indexed[id]
    if not x then
      x = {from = index_key(old, i)}
      if old and x.from == KEYS[tonumber(arg(i, 10))] then
        x.also = KEYS[tonumber(arg(i, 6))]  -- an ended reminder may still be in the open index
      end
      indexed[id] = x
    end
    x.to = index_key(new, i)
  end
  if records[id] == nil then record_order[#record_order + 1] = id end
  records[id] = new
  local p = placed[id]
  if not p then
    p = {from = old and SET_OF[string.sub(old, 1, 1)] or nil}
    -- S and not in flight: queued, or parked when the queue lacks it.
    p.was_parked = p.from == QUEUE and not redis.call('ZSCORE', QUEUE, id)
    placed[id] = p
  end
  p.to = new and SET_OF[string.sub(new, 1, 1)] or nil
  p.score = score
  p.park = nil
  if p.to == QUEUE then
    local bucket = tonumber(arg(i, 9))
    if bucket > 0 then p.park = KEYS[bucket] end
  end
end

-- The compare of compare-and-set. 'O' (the dispatcher's outcome) compares the
-- claim token with the reminder's current claim (`claims`, while its id is in
-- flight): a claim leaves the record as it was, nothing else writes a
-- claimed record, and no two claims ever get the same token (claim_due.lua),
-- so an equal token means the record is the one claimed -- without reading
-- it or sending it back to compare.
local function unchanged(i)
  local op, id = arg(i, 1), arg(i, 2)
  if op == 'U' or op == 'D' then return current(id) == arg(i, 3) end
  if op == 'O' then
    if records[id] ~= nil then return false end  -- written earlier in this call
    return redis.call('HGET', CLAIMS, id) == arg(i, 3) and
      redis.call('ZSCORE', INFLIGHT, id) ~= false
  end
  return true
end

local function apply(i)
  local op, id, value, score = arg(i, 1), arg(i, 2), arg(i, 4), arg(i, 5)
  if op == 'C' then
    if current(id) then return 0 end
    write_record(id, nil, value, score, i, true)
    return 1
  end
  if not unchanged(i) then return -1 end
  if op == 'D' then
    write_record(id, arg(i, 3), false, score, i, true)
    return 1
  end
  -- An outcome ('O') leaves the in-flight set: its old record reads as 'I'.
  write_record(id, op == 'O' and 'I' or arg(i, 3), value, score, i, false)
  local delivery = arg(i, 7)
  if delivery ~= '' then
    local at = arg(i, 8)
    push('HSET', DELIVERIES, id, delivery)
    push('ZADD', DELIVERY_TIME, at, id)
    -- Only the id: the text stays in one place (and goes with an erasure).
    if WATCHED then redis.call('XADD', DELIVERY_STREAM, 'MAXLEN', '~', ARGV[1], '*', 'r', id) end
    delivered_any = true
  end
  return 1
end

local results = {}
local i = 1
while i <= entries do
  local last = i
  while last < entries and arg(last + 1, 1) ~= 'B' do last = last + 1 end
  local atomic = arg(i, 2) == '1'
  local guard = arg(i, 3)
  local guard_ms = tonumber(arg(i, 4))
  local patient = arg(i, 6)
  local verdict = 1
  if guard ~= '' then
    local seen = redis.call('ZSCORE', GUARDS, guard)
    if seen and tonumber(seen) > guard_ms then verdict = -2 end
  end
  if verdict == 1 and patient ~= '' and redis.call('SISMEMBER', ERASED, patient) == 1 then
    verdict = -3
  end
  if verdict == 1 and atomic then
    for j = i + 1, last do
      if not unchanged(j) then verdict = -1; break end
    end
  end
  results[i] = verdict
  for j = i + 1, last do
    if verdict == 1 then results[j] = apply(j) else results[j] = 0 end
  end
  if verdict == 1 and guard ~= '' then
    redis.call('ZADD', GUARDS, 'GT', arg(i, 4), guard)
  end
  i = last + 1
end

-- The collected writes: records, their sets, indexes and deliveries.
for _, id in ipairs(record_order) do
  local v = records[id]
  if v then push('HSET', RECORDS, id, v) else push('HDEL', RECORDS, id) end
end
for id, x in pairs(indexed) do
  if x.from ~= x.to then
    if x.from then push('HDEL', x.from, id) end
    if x.also then push('HDEL', x.also, id) end
    if x.to then push('HSET', x.to, id, '') end
  end
end
local appends = {}  -- bucket -> ids, one APPEND each
local parked_delta = 0
for id, p in pairs(placed) do
  local to = p.park or p.to
  if p.from and p.from ~= to then push('ZREM', p.from, id) end
  if p.park then
    local ids = appends[p.park]
    if not ids then
      ids = {}
      appends[p.park] = ids
    end
    ids[#ids + 1] = id
  elseif p.to then
    push('ZADD', p.to, p.score, id)
  end
  if p.from == INFLIGHT and p.to ~= INFLIGHT then push('HDEL', CLAIMS, id) end  -- the claim ended
  if p.park then parked_delta = parked_delta + 1 end
  if p.was_parked then parked_delta = parked_delta - 1 end
end
for bucket, ids in pairs(appends) do
  redis.call('APPEND', bucket, table.concat(ids))
  local day = string.match(bucket, ':(%-?%d+)$')  -- `rem:park:<day>`
  push('ZADD', PARK_DAYS, day, day)
end
if parked_delta ~= 0 then redis.call('INCRBY', PARKED, parked_delta) end
-- The stream by age too (its ids are Redis's clock), once per call.
if delivered_any and ARGV[2] ~= '0' then
  local t = redis.call('TIME')
  local min_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[2])
  redis.call('XTRIM', DELIVERY_STREAM, 'MINID', '~', string.format('%d', min_ms))
end
local CHUNK = 2000  -- even, so field/value and score/member pairs stay whole
for _, list in pairs(lists) do
  for first = 1, #list, CHUNK do
    redis.call(list.cmd, list.key, unpack(list, first, math.min(first + CHUNK - 1, #list)))
  end
end
return results
