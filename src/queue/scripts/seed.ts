/**
 * seed: the first caller fills the queue, longest first; every later caller (even in the same
 * millisecond) finds it seeded and gets the fingerprint of the plan in it.
 * ARGV: ttl, fingerprint, maxRequeues, count, then per item its files (JSON) and seconds, then the
 * first batch number (batches are numbered from it).
 * Returns {1 | 0, fingerprint}.
 */
export const SEED = `
if redis.call('HEXISTS', META, 'seeded') == 1 then
  return {0, redis.call('HGET', META, 'fingerprint')}
end
local n = tonumber(ARGV[4])
local total = 0
for i = 0, n - 1 do
  local seconds = ARGV[6 + 2 * i]
  redis.call('HSET', ITEMS, i, ARGV[5 + 2 * i])
  redis.call('HSET', SECS, i, seconds)
  redis.call('RPUSH', PENDING, i)
  total = total + tonumber(seconds)
end
redis.call('HSET', META, 'seeded', now_ms(), 'fingerprint', ARGV[2], 'maxRequeues', ARGV[3], 'items', n,
  'total', tostring(total), 'remaining', tostring(total), 'batchSeq', tonumber(ARGV[5 + 2 * n] or '1') - 1)
touch()
return {1, ARGV[2]}
`;
