using StackExchange.Redis;

namespace Bff.Shared.RateLimiting;

/// <summary>
/// Limits in Redis: every decision of a request is one atomic Lua script, with the time taken from Redis (TIME), so
/// replicas share counters exactly and their clocks do not matter; keys expire by themselves. All keys of a request
/// share the client's hash tag (one slot on a cluster).
/// </summary>
internal sealed class RedisRateLimitStore(IConnectionMultiplexer redis) : IRateLimitStore
{
    // Times in microseconds (GCRA needs sub-millisecond steps; stored as integers, never as rounded floats).
    // ARGV per check: algorithm (f|s|t), limit, period µs, wait µs. Returns 4 numbers per check:
    // allowed (1/0), remaining, reset ms, retry-after ms.
    private const string Script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
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
            ok[i], rem[i], reset[i], retry[i] = 0, 0, ban * 1000, ban * 1000
          elseif algo == 's' then
            local window = math.floor(now / period)
            local cur = tonumber(redis.call('GET', key .. ':' .. window) or '0')
            local prev = tonumber(redis.call('GET', key .. ':' .. (window - 1)) or '0')
            local elapsed = now - window * period
            local est = prev * (period - elapsed) / period + cur
            reset[i] = period - elapsed
            if est + 1 <= limit then
              ok[i], retry[i] = 1, 0
            else
              ok[i] = 0
              if cur + 1 <= limit then
                -- the previous window's weight must fall to (limit - cur - 1) / prev
                retry[i] = math.max(0, math.ceil(period * (1 - (limit - cur - 1) / prev) - elapsed))
              else
                -- wait for the next window, where this one's count weighs in its turn
                retry[i] = (period - elapsed) + math.ceil(period * math.max(0, 1 - (limit - 1) / cur))
              end
            end
            rem[i] = math.max(0, math.floor(limit - est - ok[i]))
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
            rem[i] = math.max(0, math.floor((period - (basis - now)) / interval + 0.000001))
            reset[i] = basis - now
            if ok[i] == 1 then retry[i] = 0 else retry[i] = allowat - now end
            aux[i] = nexttat
          else
            local ttl = redis.call('PTTL', key)
            if ttl == -1 then redis.call('DEL', key); ttl = -2 end
            local count = 0
            if ttl > 0 then count = tonumber(redis.call('GET', key) or '0') else ttl = period / 1000 end
            if count + 1 <= limit then ok[i] = 1 else ok[i] = 0 end
            rem[i] = math.max(0, limit - count - ok[i])
            reset[i] = ttl * 1000
            if ok[i] == 1 then retry[i] = 0 else retry[i] = ttl * 1000 end
          end
          if ok[i] == 0 then all = false end
        end
        local out = {}
        for i = 1, n do
          local key = KEYS[i]
          local algo = ARGV[(i - 1) * 4 + 1]
          local period = tonumber(ARGV[(i - 1) * 4 + 3])
          local wait = tonumber(ARGV[(i - 1) * 4 + 4])
          local periodms = math.max(1, math.ceil(period / 1000))
          if all then
            if algo == 's' then
              local k = key .. ':' .. aux[i]
              redis.call('INCR', k)
              redis.call('PEXPIRE', k, periodms * 2)
            elseif algo == 't' then
              redis.call('SET', key, string.format('%.0f', aux[i]), 'PX', math.max(1, math.ceil((aux[i] - now) / 1000)))
            else
              local c = redis.call('INCR', key)
              if c == 1 then redis.call('PEXPIRE', key, periodms) end
            end
          elseif ok[i] == 0 and wait > 0 and redis.call('EXISTS', key .. ':ban') == 0 then
            -- Ocelot's Wait: refused until Wait has passed, then a fresh window.
            redis.call('SET', key .. ':ban', '1', 'PX', math.max(1, math.ceil(wait / 1000)))
            if algo == 's' then
              redis.call('DEL', key .. ':' .. aux[i], key .. ':' .. (aux[i] - 1))
            else
              redis.call('DEL', key)
            end
            retry[i] = wait
          end
          out[(i - 1) * 4 + 1] = ok[i]
          out[(i - 1) * 4 + 2] = rem[i]
          out[(i - 1) * 4 + 3] = math.ceil(reset[i] / 1000)
          out[(i - 1) * 4 + 4] = math.ceil(retry[i] / 1000)
        end
        return out
        """;

    // EVALSHA with the hash computed once: ScriptEvaluateAsync(string) looks the script text up in a table on every
    // call, and hashing these ~3 KB cost more CPU than the rest of the decision (bench/results).
    private static readonly byte[] ScriptHash = System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(Script));

    private static async Task<RedisResult> EvaluateAsync(IDatabase database, RedisKey[] keys, RedisValue[] args)
    {
        try
        {
            return await database.ScriptEvaluateAsync(ScriptHash, keys, args);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            // A Redis that restarted (or had SCRIPT FLUSH) no longer knows the script: EVAL sends it, and caches it again.
            return await database.ScriptEvaluateAsync(Script, keys, args);
        }
    }

    public async ValueTask ForgetAsync(string key, CancellationToken cancellationToken) =>
        await redis.GetDatabase().KeyDeleteAsync([key, key + ":ban"]);

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
            args[i * 4 + 2] = (long)(rule.Period.TotalMilliseconds * 1000);
            args[i * 4 + 3] = (long)(rule.Wait.TotalMilliseconds * 1000);
        }
        var raw = (RedisResult[])(await EvaluateAsync(redis.GetDatabase(), keys, args))!;
        var results = new LimitResult[checks.Count];
        for (var i = 0; i < checks.Count; i++)
        {
            results[i] = new LimitResult((long)raw[i * 4] == 1, (long)raw[i * 4 + 1],
                TimeSpan.FromMilliseconds((long)raw[i * 4 + 2]), TimeSpan.FromMilliseconds((long)raw[i * 4 + 3]));
        }
        return results;
    }
}
