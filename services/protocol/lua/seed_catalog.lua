-- Gives an organization the catalog entries it does not have yet, atomically:
-- concurrent first calls (many replicas, many threads) create each entry
-- exactly once, and an entry once seeded is never touched again, even when the
-- clinic has since changed or archived it.
-- KEYS[1] catalog hash   df:{org}:protocol_catalog (catalog key -> id)
-- KEYS[2] index zset     df:{org}:protocols
-- KEYS[3] revision       df:{org}:protocol_catalog_revision
-- KEYS[3+i] protocol hash of entry i (df:{org}:protocol:<fresh id>)
-- ARGV[1] catalog revision to record ("0": do not record), then per entry i:
-- ARGV[2+4(i-1)..] catalog key, fresh id, index member, serialized version 1
-- Returns per entry {catalog key, id, 1 created | 0 already there}.
local results = {}
local entries = (#ARGV - 1) / 4
for i = 1, entries do
  local base = 2 + 4 * (i - 1)
  local catalog_key, id, member, bytes = ARGV[base], ARGV[base + 1], ARGV[base + 2], ARGV[base + 3]
  local existing = redis.call('HGET', KEYS[1], catalog_key)
  if existing then
    results[i] = {catalog_key, existing, 0}
  else
    redis.call('HSET', KEYS[1], catalog_key, id)
    redis.call('HSET', KEYS[3 + i], 'version', 1, 'latest', bytes, '1', bytes)
    redis.call('ZADD', KEYS[2], 0, member)
    results[i] = {catalog_key, id, 1}
  end
end
local revision = tonumber(ARGV[1])
if revision > 0 and revision > tonumber(redis.call('GET', KEYS[3]) or '0') then
  redis.call('SET', KEYS[3], ARGV[1])
end
return results
