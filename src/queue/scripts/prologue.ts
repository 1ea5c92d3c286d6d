/**
 * Shared by every script. KEYS are always the queue's ten keys in this order (see queueKeys);
 * ARGV[1] is always the TTL in seconds, renewed on every key by every step that changes state.
 * A lease is stored as `worker|id,id,...`.
 */
export const PROLOGUE = `
local META, PENDING, ITEMS, SECS, LEASES, DEADLINES, DONE, ATTEMPTS, WORKERS, FAILURES = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10]
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function touch()
  for i = 1, #KEYS do redis.call('EXPIRE', KEYS[i], ARGV[1]) end
end
local function lease_ids(lease)
  local sep = string.find(lease, '|', 1, true)
  local ids = {}
  for id in string.gmatch(string.sub(lease, sep + 1), '[^,]+') do ids[#ids + 1] = id end
  return string.sub(lease, 1, sep - 1), ids
end
local function hand_out(batch, ids, out)
  for _, id in ipairs(ids) do
    out[#out + 1] = id
    out[#out + 1] = redis.call('HGET', SECS, id)
    out[#out + 1] = redis.call('HGET', ITEMS, id)
  end
  return out
end
`;
