namespace Bff.Shared.RateLimiting;

/// <summary>The same semantics in process (no Redis configured, or Redis unavailable).</summary>
internal sealed class InProcessRateLimitStore(TimeProvider time) : IRateLimitStore
{
    private readonly Dictionary<string, State> _states = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _nextSweep;

    private sealed class State
    {
        public long Count;
        public long WindowStart;
        public long WindowEnd;
        public long PreviousCount;
        public long BannedUntil;
        public double Tat;
        public long ExpiresAt;
    }

    /// <summary>Limits are divided by this (a fallback standing in for a shared store across N replicas).</summary>
    public int Divisor { get; init; } = 1;

    public ValueTask<LimitResult[]> DecideAsync(IReadOnlyList<LimitCheck> checks, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var results = new LimitResult[checks.Count];
        lock (_gate)
        {
            if (now >= _nextSweep) Sweep(now);
            var allowed = true;
            for (var i = 0; i < checks.Count; i++)
            {
                results[i] = Evaluate(checks[i], now, consume: false);
                allowed &= results[i].Allowed;
            }
            for (var i = 0; i < checks.Count; i++)
            {
                if (allowed) Evaluate(checks[i], now, consume: true);
                else if (!results[i].Allowed && checks[i].Rule.Wait > TimeSpan.Zero && (!_states.TryGetValue(checks[i].Key, out var banned) || banned.BannedUntil <= now))
                {
                    // Ocelot's Wait: refused until Wait has passed, then a fresh window.
                    var wait = (long)checks[i].Rule.Wait.TotalMilliseconds;
                    _states[checks[i].Key] = new State { BannedUntil = now + wait, ExpiresAt = now + wait };
                    results[i] = results[i] with { RetryAfter = checks[i].Rule.Wait };
                }
            }
        }
        return ValueTask.FromResult(results);
    }

    public ValueTask ForgetAsync(string key, CancellationToken cancellationToken)
    {
        lock (_gate) _states.Remove(key);
        return ValueTask.CompletedTask;
    }

    private LimitResult Evaluate(LimitCheck check, long now, bool consume)
    {
        var rule = check.Rule;
        var limit = Math.Max(1, rule.Limit / Divisor);
        var period = Math.Max(1L, (long)rule.Period.TotalMilliseconds);
        // Only an allowed request creates state: refused and probing requests cost nothing here.
        if (!_states.TryGetValue(check.Key, out var state))
        {
            if (!consume) state = new State();
            else _states[check.Key] = state = new State();
        }
        if (state.BannedUntil > now)
            return new LimitResult(false, 0, TimeSpan.FromMilliseconds(state.BannedUntil - now), TimeSpan.FromMilliseconds(state.BannedUntil - now));
        switch (rule.Algorithm)
        {
            case RateLimitAlgorithm.SlidingWindow:
            {
                var window = now / period;
                var current = state.WindowStart == window ? state.Count : 0;
                var previous = state.WindowStart == window ? state.PreviousCount : state.WindowStart == window - 1 ? state.Count : 0;
                var elapsed = now - window * period;
                var estimate = previous * (period - elapsed) / (double)period + current;
                var ok = estimate + 1 <= limit;
                if (ok && consume)
                {
                    state.PreviousCount = previous;
                    state.Count = current + 1;
                    state.WindowStart = window;
                    state.ExpiresAt = (window + 2) * period;
                }
                double retry = 0;
                if (!ok)
                {
                    retry = current + 1 <= limit
                        ? Math.Max(0, Math.Ceiling(period * (1 - (limit - current - 1) / (double)previous) - elapsed))
                        : period - elapsed + Math.Ceiling(period * Math.Max(0, 1 - (limit - 1) / (double)current));
                }
                return new LimitResult(ok, Math.Max(0, (long)Math.Floor(limit - estimate - (ok ? 1 : 0))),
                    TimeSpan.FromMilliseconds(period - elapsed), TimeSpan.FromMilliseconds(retry));
            }
            case RateLimitAlgorithm.TokenBucket:
            {
                var interval = period / (double)limit;
                var tat = Math.Max(state.Tat, now);
                var next = tat + interval;
                var allowAt = next - period;
                var ok = allowAt <= now;
                if (ok && consume)
                {
                    state.Tat = next;
                    state.ExpiresAt = (long)Math.Ceiling(next);
                }
                var basis = ok ? next : tat;
                var remaining = (long)Math.Floor((period - (basis - now)) / interval + 1e-9);
                return new LimitResult(ok, Math.Max(0, remaining), TimeSpan.FromMilliseconds(basis - now), ok ? TimeSpan.Zero : TimeSpan.FromMilliseconds(allowAt - now));
            }
            default:
            {
                var fresh = state.WindowEnd <= now;
                var count = fresh ? 0 : state.Count;
                var end = fresh ? now + period : state.WindowEnd; // Ocelot: the window starts with the first request
                var ok = count + 1 <= limit;
                if (ok && consume)
                {
                    state.Count = count + 1;
                    state.WindowEnd = end;
                    state.ExpiresAt = end;
                }
                var reset = TimeSpan.FromMilliseconds(end - now);
                return new LimitResult(ok, Math.Max(0, limit - count - (ok ? 1 : 0)), reset, ok ? TimeSpan.Zero : reset);
            }
        }
    }

    /// <summary>Drops expired counters, at most once a second.</summary>
    private void Sweep(long now)
    {
        _nextSweep = now + 1_000;
        List<string>? expired = null;
        foreach (var (key, state) in _states)
            if (state.ExpiresAt <= now && state.BannedUntil <= now) (expired ??= []).Add(key);
        foreach (var key in expired ?? []) _states.Remove(key);
    }
}
