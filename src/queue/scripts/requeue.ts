/**
 * requeue: failed items not done yet, with attempts left (maxRequeues of the seed), go back to the
 * head of the queue for another worker; each one put back keeps its failed tests (a JSON list) as
 * field id:attempt of FAILURES. ARGV: ttl, then id and failures pairs. Returns the ids put back.
 */
export const REQUEUE = `
local max = tonumber(redis.call('HGET', META, 'maxRequeues') or '0')
local back = {}
for i = 2, #ARGV, 2 do
  local id = ARGV[i]
  if redis.call('HEXISTS', DONE, id) == 0 and redis.call('HEXISTS', SECS, id) == 1 then
    local attempt = redis.call('HINCRBY', ATTEMPTS, id, 1)
    if attempt <= max then
      back[#back + 1] = id
      if ARGV[i + 1] ~= '' then redis.call('HSET', FAILURES, id .. ':' .. attempt, ARGV[i + 1]) end
    end
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
