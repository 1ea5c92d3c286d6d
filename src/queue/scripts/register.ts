/** register: a worker joins and gets its number. ARGV: ttl, name. Returns the number (from 1). */
export const REGISTER = `
local n = redis.call('HINCRBY', META, 'workerSeq', 1)
redis.call('HSET', WORKERS, n .. ':name', ARGV[2])
touch()
return n
`;
