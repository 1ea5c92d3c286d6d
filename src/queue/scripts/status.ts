/** status: one consistent read of the counters. ARGV: ttl. Returns {meta pairs, pending, leased, worker pairs}. */
export const STATUS = `
local leased = 0
for _, lease in ipairs(redis.call('HVALS', LEASES)) do
  local _, ids = lease_ids(lease)
  leased = leased + #ids
end
return {redis.call('HGETALL', META), redis.call('LLEN', PENDING), leased, redis.call('HGETALL', WORKERS)}
`;
