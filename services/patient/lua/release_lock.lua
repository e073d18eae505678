-- Deletes a lock only if this holder still owns it (its token), so a holder
-- whose lease ran out never frees the lock another replica now holds.
-- KEYS[1] lock key  ARGV[1] the holder's token
-- Returns 1 if released, 0 if the lock was no longer ours.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
