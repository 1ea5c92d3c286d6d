/**
 * reserve_lost: takes over the oldest expired lease (its worker died or stalled): the items not
 * done yet move, as a new batch, to this worker.
 * ARGV: ttl, worker, leaseMs. Returns {batch, oldBatch, oldWorker, id, seconds, files, ...} or {}.
 */
export const RESERVE_LOST = `
local now = now_ms()
while true do
  local expired = redis.call('ZRANGEBYSCORE', DEADLINES, '-inf', '(' .. now, 'LIMIT', 0, 1)
  if #expired == 0 then
    touch()
    return {}
  end
  local old = expired[1]
  local lease = redis.call('HGET', LEASES, old)
  redis.call('ZREM', DEADLINES, old)
  redis.call('HDEL', LEASES, old)
  redis.call('HINCRBY', META, 'expired', 1)
  if lease then
    local old_worker, ids = lease_ids(lease)
    local left = {}
    for _, id in ipairs(ids) do
      if redis.call('HEXISTS', DONE, id) == 0 then left[#left + 1] = id end
    end
    if #left > 0 then
      local batch = redis.call('HINCRBY', META, 'batchSeq', 1)
      redis.call('HSET', LEASES, batch, ARGV[2] .. '|' .. table.concat(left, ','))
      redis.call('ZADD', DEADLINES, now + tonumber(ARGV[3]), batch)
      redis.call('HINCRBY', META, 'requeued', #left)
      touch()
      return hand_out(batch, left, {batch, tonumber(old), tonumber(old_worker)})
    end
  end
end
`;
