-- Moves reminders that ended from their patient's open index to the final
-- index (see put_reminders.lua: outcome writes leave them for planning to
-- move, once). Only ids whose record is in a final state now move; ids
-- without a record (deleted meanwhile) just leave the open index.
--
-- KEYS: 1 records, then pairs: patient open index, patient final index
-- ARGV: per pair of keys, the number of ids, then those ids
-- Returns the number of ids moved or dropped.
local FINAL = {D = true, C = true, X = true}
local at = 1
local moved = 0
for k = 2, #KEYS, 2 do
  local open, final = KEYS[k], KEYS[k + 1]
  local n = tonumber(ARGV[at])
  for j = at + 1, at + n do
    local id = ARGV[j]
    local record = redis.call('HGET', KEYS[1], id)
    if not record then
      redis.call('HDEL', open, id)
      moved = moved + 1
    elseif FINAL[string.sub(record, 1, 1)] then
      redis.call('HDEL', open, id)
      redis.call('HSET', final, id, '')
      moved = moved + 1
    end
  end
  at = at + n + 1
end
return moved
