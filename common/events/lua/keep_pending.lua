-- Keeps a live consumer's pending entries fresh: resets the idle time of the
-- entries it still owns (XCLAIM to itself, JUSTID so the delivery count
-- stays), so no other consumer takes them over while it is busy with them,
-- however long that takes; a dead consumer's entries go idle and are taken
-- over after min_idle (event_consumer.h). Atomic, so an entry another
-- consumer took over meanwhile is left with it, never claimed back.
--
-- KEYS: 1 the stream
-- ARGV: 1 group, 2 consumer, 3.. entry ids
-- Returns the number of entries kept.
local STREAM, GROUP, CONSUMER = KEYS[1], ARGV[1], ARGV[2]
local mine = {}
for i = 3, #ARGV do
  local id = ARGV[i]
  -- [[id, consumer, idle ms, deliveries]] or [] once acknowledged.
  local entry = redis.call('XPENDING', STREAM, GROUP, id, id, 1)
  if #entry == 1 and entry[1][2] == CONSUMER then mine[#mine + 1] = id end
end
local kept = #mine
if kept == 0 then return 0 end
mine[kept + 1] = 'JUSTID'  -- after the ids: no entry bodies back, delivery count unchanged
redis.call('XCLAIM', STREAM, GROUP, CONSUMER, 0, unpack(mine))
return kept
