-- Test script for dermaflow_embed_lua: adds ARGV[1] to KEYS[1], returns it.
-- A ')' and a '"' must survive embedding: ")"
return redis.call('INCRBY', KEYS[1], ARGV[1])
