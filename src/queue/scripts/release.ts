/**
 * release: a worker that was stopped (Ctrl-C, a CI cancel, a preempted node) gives its batch back at
 * once: the lease's deadline moves to 0, so the next worker to look takes it over as an expired one.
 * ARGV: ttl, worker, batch. Returns 1, or 0 when the lease is no longer this worker's.
 */
export const RELEASE = `
local lease = redis.call('HGET', LEASES, ARGV[3])
if not lease or string.sub(lease, 1, #ARGV[2] + 1) ~= ARGV[2] .. '|' then return 0 end
redis.call('ZADD', DEADLINES, 'XX', 0, ARGV[3])
touch()
return 1
`;
