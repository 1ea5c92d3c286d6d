/** heartbeat: moves the deadline of a lease this worker still holds. ARGV: ttl, worker, batch, leaseMs. Returns 1 or 0. */
export const HEARTBEAT = `
local lease = redis.call('HGET', LEASES, ARGV[3])
if not lease or string.sub(lease, 1, #ARGV[2] + 1) ~= ARGV[2] .. '|' then return 0 end
redis.call('ZADD', DEADLINES, 'XX', now_ms() + tonumber(ARGV[4]), ARGV[3])
touch()
return 1
`;
