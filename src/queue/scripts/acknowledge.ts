/**
 * acknowledge: records each item's verdict unless it already has one, and releases the lease.
 * ARGV: ttl, worker, batch, busySeconds, then id and verdict ('passed' | 'failed') pairs.
 * An item that passes after a failed attempt counts as flaky.
 * Returns per item 1 when this was its first verdict, 0 when another worker gave one before (this
 * one was thought dead and reports late): the bit that makes every item done exactly once.
 */
export const ACKNOWLEDGE = `
local worker = ARGV[2]
local first = {}
for i = 5, #ARGV, 2 do
  local id, verdict = ARGV[i], ARGV[i + 1]
  if redis.call('HEXISTS', SECS, id) == 1 and redis.call('HSETNX', DONE, id, verdict .. '|' .. worker) == 1 then
    redis.call('HINCRBY', META, verdict, 1)
    if verdict == 'passed' and tonumber(redis.call('HGET', ATTEMPTS, id) or '0') > 0 then redis.call('HINCRBY', META, 'flaky', 1) end
    redis.call('HINCRBY', WORKERS, worker .. ':items', 1)
    first[#first + 1] = 1
  else
    first[#first + 1] = 0
  end
end
redis.call('HINCRBY', WORKERS, worker .. ':batches', 1)
redis.call('HINCRBYFLOAT', WORKERS, worker .. ':busy', ARGV[4])
local lease = redis.call('HGET', LEASES, ARGV[3])
if lease and string.sub(lease, 1, #worker + 1) == worker .. '|' then
  redis.call('HDEL', LEASES, ARGV[3])
  redis.call('ZREM', DEADLINES, ARGV[3])
end
touch()
return first
`;
