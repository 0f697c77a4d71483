using StackExchange.Redis;

namespace Bff.Shared.RateLimiting;

/// <summary>
/// Limits in Redis: every decision of a request is one atomic Lua script, with the time taken from Redis (TIME), so
/// replicas share counters exactly and their clocks do not matter; keys expire by themselves.
/// </summary>
internal sealed class RedisRateLimitStore(IConnectionMultiplexer redis) : IRateLimitStore
{
    // ARGV per check: algorithm (f|s|t), limit, period ms, wait ms. Returns 4 numbers per check:
    // allowed (1/0), remaining, reset ms, retry-after ms.
    private const string Script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local n = #KEYS
        local ok, rem, reset, retry, aux = {}, {}, {}, {}, {}
        local all = true
        for i = 1, n do
          local key = KEYS[i]
          local algo = ARGV[(i - 1) * 4 + 1]
          local limit = tonumber(ARGV[(i - 1) * 4 + 2])
          local period = tonumber(ARGV[(i - 1) * 4 + 3])
          local ban = redis.call('PTTL', key .. ':ban')
          if ban > 0 then
            ok[i], rem[i], reset[i], retry[i] = 0, 0, ban, ban
          elseif algo == 's' then
            local window = math.floor(now / period)
            local cur = tonumber(redis.call('GET', key .. ':' .. window) or '0')
            local prev = tonumber(redis.call('GET', key .. ':' .. (window - 1)) or '0')
            local elapsed = now - window * period
            local est = prev * (period - elapsed) / period + cur
            if est + 1 <= limit then ok[i] = 1 else ok[i] = 0 end
            rem[i] = math.max(0, math.floor(limit - est - 1))
            reset[i] = period - elapsed
            if ok[i] == 1 then retry[i] = 0 else retry[i] = period - elapsed end
            aux[i] = window
          elseif algo == 't' then
            local interval = period / limit
            local tat = tonumber(redis.call('GET', key) or '0')
            if tat < now then tat = now end
            local nexttat = tat + interval
            local allowat = nexttat - period
            if allowat <= now then ok[i] = 1 else ok[i] = 0 end
            local basis = tat
            if ok[i] == 1 then basis = nexttat end
            rem[i] = math.max(0, math.floor((period - (basis - now)) / interval))
            reset[i] = math.ceil(basis - now)
            if ok[i] == 1 then retry[i] = 0 else retry[i] = math.ceil(allowat - now) end
            aux[i] = nexttat
          else
            local count = tonumber(redis.call('GET', key) or '0')
            local ttl = redis.call('PTTL', key)
            if ttl < 0 then ttl = period; count = 0 end
            if count + 1 <= limit then ok[i] = 1 else ok[i] = 0 end
            rem[i] = math.max(0, limit - count - 1)
            reset[i] = ttl
            if ok[i] == 1 then retry[i] = 0 else retry[i] = ttl end
          end
          if ok[i] == 0 then all = false end
        end
        local out = {}
        for i = 1, n do
          local key = KEYS[i]
          local algo = ARGV[(i - 1) * 4 + 1]
          local period = tonumber(ARGV[(i - 1) * 4 + 3])
          local wait = tonumber(ARGV[(i - 1) * 4 + 4])
          if all then
            if algo == 's' then
              local k = key .. ':' .. aux[i]
              redis.call('INCR', k)
              redis.call('PEXPIRE', k, period * 2)
            elseif algo == 't' then
              redis.call('SET', key, tostring(aux[i]), 'PX', math.max(1, math.ceil(aux[i] - now)))
            else
              local c = redis.call('INCR', key)
              if c == 1 then redis.call('PEXPIRE', key, period) end
            end
          elseif ok[i] == 0 and wait > 0 and redis.call('EXISTS', key .. ':ban') == 0 then
            redis.call('SET', key .. ':ban', '1', 'PX', wait)
            retry[i] = wait
          end
          out[(i - 1) * 4 + 1] = ok[i]
          out[(i - 1) * 4 + 2] = rem[i]
          out[(i - 1) * 4 + 3] = math.ceil(reset[i])
          out[(i - 1) * 4 + 4] = math.ceil(retry[i])
        end
        return out
        """;

    public async ValueTask<LimitResult[]> DecideAsync(IReadOnlyList<LimitCheck> checks, CancellationToken cancellationToken)
    {
        var keys = new RedisKey[checks.Count];
        var args = new RedisValue[checks.Count * 4];
        for (var i = 0; i < checks.Count; i++)
        {
            var rule = checks[i].Rule;
            keys[i] = checks[i].Key;
            args[i * 4] = rule.Algorithm switch { RateLimitAlgorithm.SlidingWindow => "s", RateLimitAlgorithm.TokenBucket => "t", _ => "f" };
            args[i * 4 + 1] = rule.Limit;
            args[i * 4 + 2] = (long)rule.Period.TotalMilliseconds;
            args[i * 4 + 3] = (long)rule.Wait.TotalMilliseconds;
        }
        var raw = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Script, keys, args))!;
        var results = new LimitResult[checks.Count];
        for (var i = 0; i < checks.Count; i++)
        {
            results[i] = new LimitResult((long)raw[i * 4] == 1, (long)raw[i * 4 + 1],
                TimeSpan.FromMilliseconds((long)raw[i * 4 + 2]), TimeSpan.FromMilliseconds((long)raw[i * 4 + 3]));
        }
        return results;
    }
}
