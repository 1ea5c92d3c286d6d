/**
 * requeue: failed items not done yet, with attempts left (maxRequeues of the seed), go back to the
 * head of the queue for another worker. ARGV: ttl, id, ... Returns the ids put back.
 */
export const REQUEUE = `
local max = tonumber(redis.call('HGET', META, 'maxRequeues') or '0')
local back = {}
for i = 2, #ARGV do
  local id = ARGV[i]
  if redis.call('HEXISTS', DONE, id) == 0 and redis.call('HEXISTS', SECS, id) == 1 then
    if redis.call('HINCRBY', ATTEMPTS, id, 1) <= max then back[#back + 1] = id end
  end
end
for i = #back, 1, -1 do
  redis.call('LPUSH', PENDING, back[i])
  redis.call('HINCRBYFLOAT', META, 'remaining', redis.call('HGET', SECS, back[i]))
end
redis.call('HINCRBY', META, 'requeued', #back)
touch()
return back
`;
