/**
 * reserve: leases items from the head of the queue to a worker: the first, then the next while the
 * batch stays within the target seconds and maxItems (policy.ts takeCount). Items already done
 * are dropped. ARGV: ttl, worker, targetSeconds, leaseMs, maxItems. Returns {batch, id, seconds, files, ...} or {}.
 */
export const RESERVE = `
local target = tonumber(ARGV[3])
local max_items = tonumber(ARGV[5])
local taken = {}
local sum = 0
while true do
  local id = redis.call('LINDEX', PENDING, 0)
  if not id then break end
  if redis.call('HEXISTS', DONE, id) == 1 then
    redis.call('LPOP', PENDING)
  else
    local seconds = tonumber(redis.call('HGET', SECS, id))
    if #taken > 0 and (sum + seconds > target or #taken >= max_items) then break end
    redis.call('LPOP', PENDING)
    taken[#taken + 1] = id
    sum = sum + seconds
  end
end
touch()
if #taken == 0 then return {} end
local batch = redis.call('HINCRBY', META, 'batchSeq', 1)
redis.call('HSET', LEASES, batch, ARGV[2] .. '|' .. table.concat(taken, ','))
redis.call('ZADD', DEADLINES, now_ms() + tonumber(ARGV[4]), batch)
redis.call('HINCRBYFLOAT', META, 'remaining', tostring(-sum))
return hand_out(batch, taken, {batch})
`;
