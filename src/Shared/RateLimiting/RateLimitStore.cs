namespace Bff.Shared.RateLimiting;

/// <summary>One limit to check for one counter key.</summary>
internal readonly record struct LimitCheck(string Key, RateLimitRule Rule);

/// <summary>The outcome for one limit: allowed, what is left, when the window resets, when to retry.</summary>
internal readonly record struct LimitResult(bool Allowed, long Remaining, TimeSpan Reset, TimeSpan RetryAfter);

/// <summary>
/// Decides all limits of one request at once: either every limit has room and each consumes one, or none consumes
/// (a refused request does not use up anything).
/// </summary>
internal interface IRateLimitStore
{
    ValueTask<LimitResult[]> DecideAsync(IReadOnlyList<LimitCheck> checks, CancellationToken cancellationToken);
}

/// <summary>The same semantics in process (no Redis configured, or Redis unavailable).</summary>
internal sealed class InProcessRateLimitStore(TimeProvider time) : IRateLimitStore
{
    private readonly Dictionary<string, State> _states = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _decisions;

    private sealed class State
    {
        public long Count;
        public long WindowStart;
        public long WindowEnd;
        public long PreviousCount;
        public long BannedUntil;
        public double Tat;
    }

    /// <summary>Limits are divided by this (a fallback standing in for a shared store across N replicas).</summary>
    public int Divisor { get; init; } = 1;

    public ValueTask<LimitResult[]> DecideAsync(IReadOnlyList<LimitCheck> checks, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var results = new LimitResult[checks.Count];
        lock (_gate)
        {
            if (++_decisions % 4096 == 0) Sweep(now);
            var allowed = true;
            for (var i = 0; i < checks.Count; i++)
            {
                results[i] = Evaluate(checks[i], now, consume: false);
                allowed &= results[i].Allowed;
            }
            for (var i = 0; i < checks.Count; i++)
            {
                if (allowed) Evaluate(checks[i], now, consume: true);
                else if (!results[i].Allowed && checks[i].Rule.Wait > TimeSpan.Zero)
                {
                    var state = Get(checks[i].Key);
                    if (state.BannedUntil <= now)
                    {
                        state.BannedUntil = now + (long)checks[i].Rule.Wait.TotalMilliseconds;
                        results[i] = results[i] with { RetryAfter = checks[i].Rule.Wait };
                    }
                }
            }
        }
        return ValueTask.FromResult(results);
    }

    private State Get(string key)
    {
        if (!_states.TryGetValue(key, out var state)) _states[key] = state = new State();
        return state;
    }

    private LimitResult Evaluate(LimitCheck check, long now, bool consume)
    {
        var rule = check.Rule;
        var limit = Math.Max(1, rule.Limit / Divisor);
        var period = (long)rule.Period.TotalMilliseconds;
        var state = Get(check.Key);
        if (state.BannedUntil > now) return new LimitResult(false, 0, TimeSpan.FromMilliseconds(state.BannedUntil - now), TimeSpan.FromMilliseconds(state.BannedUntil - now));
        switch (rule.Algorithm)
        {
            case RateLimitAlgorithm.SlidingWindow:
            {
                var window = now / period;
                if (state.WindowStart != window)
                {
                    state.PreviousCount = state.WindowStart == window - 1 ? state.Count : 0;
                    state.Count = 0;
                    state.WindowStart = window;
                }
                var elapsed = now - window * period;
                var estimate = state.PreviousCount * (period - elapsed) / (double)period + state.Count;
                var ok = estimate + 1 <= limit;
                if (ok && consume) state.Count++;
                var reset = TimeSpan.FromMilliseconds(period - elapsed);
                return new LimitResult(ok, Math.Max(0, (long)Math.Floor(limit - estimate - 1)), reset, ok ? TimeSpan.Zero : reset);
            }
            case RateLimitAlgorithm.TokenBucket:
            {
                var interval = period / (double)limit;
                var tat = Math.Max(state.Tat, now);
                var next = tat + interval;
                var allowAt = next - period;
                var ok = allowAt <= now;
                if (ok && consume) state.Tat = next;
                var remaining = (long)Math.Floor((period - ((ok ? next : tat) - now)) / interval);
                return new LimitResult(ok, Math.Max(0, remaining), TimeSpan.FromMilliseconds((ok ? next : tat) - now), ok ? TimeSpan.Zero : TimeSpan.FromMilliseconds(allowAt - now));
            }
            default:
            {
                if (state.WindowEnd <= now)
                {
                    state.Count = 0;
                    state.WindowEnd = now + period; // Ocelot: the window starts with the first request
                }
                var ok = state.Count + 1 <= limit;
                if (ok && consume) state.Count++;
                var reset = TimeSpan.FromMilliseconds(state.WindowEnd - now);
                return new LimitResult(ok, Math.Max(0, limit - state.Count - (consume ? 0 : 1)), reset, ok ? TimeSpan.Zero : reset);
            }
        }
    }

    private void Sweep(long now)
    {
        foreach (var (key, state) in _states.ToList())
            if (state.WindowEnd < now - 86_400_000L * 31 && state.Tat < now && state.BannedUntil < now && state.WindowStart == 0)
                _states.Remove(key);
    }
}
