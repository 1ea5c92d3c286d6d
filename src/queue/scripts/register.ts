/**
 * register: a worker joins and gets its number. ARGV: ttl, name, and for a worker that could not
 * reach Redis at the start and ran its static shard instead, that shard (K/N). Returns the number (from 1).
 */
export const REGISTER = `
local n = redis.call('HINCRBY', META, 'workerSeq', 1)
redis.call('HSET', WORKERS, n .. ':name', ARGV[2])
if ARGV[3] then
  redis.call('HSET', WORKERS, n .. ':fallback', ARGV[3])
  redis.call('HINCRBY', META, 'fallbacks', 1)
end
touch()
return n
`;
