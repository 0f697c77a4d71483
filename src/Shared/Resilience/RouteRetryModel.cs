using Bff.Shared.Configuration.File;

namespace Bff.Shared.Resilience;

/// <summary>A route's <c>RetryOptions</c>, validated. One budget per route and configuration load.</summary>
internal sealed class RouteRetryModel
{
    public const int MaxCount = 10;

    public required string RouteId { get; init; }
    public required int Count { get; init; }
    public required TimeSpan Delay { get; init; }
    public required TimeSpan MaxDelay { get; init; }
    public required bool RetryPutAndDelete { get; init; }
    /// <summary>Per-attempt timeout (the QoS timeout), or null.</summary>
    public TimeSpan? AttemptTimeout { get; init; }
    public required RetryBudget Budget { get; init; }

    /// <summary>Idempotent methods only, and only requests without a body: a streamed body cannot be sent twice.</summary>
    public bool Allows(HttpRequestMessage request) =>
        request.Content is null
        && (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Options || request.Method == HttpMethod.Trace
            || (RetryPutAndDelete && (request.Method == HttpMethod.Put || request.Method == HttpMethod.Delete)));

    /// <summary>Exponential backoff with full jitter: a random wait in [0, min(MaxDelay, Delay·2^attempt)].</summary>
    public TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, Delay.TotalMilliseconds * Math.Pow(2, attempt));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }

    public static RouteRetryModel? Create(string routeId, FileRetryOptions? options, TimeSpan? attemptTimeout, TimeProvider time, Configuration.ConfigErrorScope errors)
    {
        if (options is null) return null;
        if (options.Count is < 0 or > MaxCount) errors.Add("RetryOptions.Count", $"must be between 0 and {MaxCount}");
        if (options.DelayMs is < 0) errors.Add("RetryOptions.DelayMs", "must be zero or positive (ms)");
        if (options.MaxDelayMs is < 0) errors.Add("RetryOptions.MaxDelayMs", "must be zero or positive (ms)");
        if (options.BudgetPercent is < 0 or > 100) errors.Add("RetryOptions.BudgetPercent", "must be between 0 and 100");
        if (options.Count is not (> 0 and <= MaxCount) || options.DelayMs < 0 || options.MaxDelayMs < 0 || options.BudgetPercent is < 0 or > 100) return null;
        return new RouteRetryModel
        {
            RouteId = routeId,
            Count = options.Count.Value,
            Delay = TimeSpan.FromMilliseconds(options.DelayMs ?? 100),
            MaxDelay = TimeSpan.FromMilliseconds(options.MaxDelayMs ?? 2000),
            RetryPutAndDelete = options.RetryPutAndDelete ?? false,
            AttemptTimeout = attemptTimeout,
            Budget = new RetryBudget((options.BudgetPercent ?? 10) / 100, time),
        };
    }
}

/// <summary>
/// A retry budget (as in Envoy and gRPC): in each 10-second window, retries may be at most <c>ratio</c> of the
/// requests, with a floor of 3 so that a quiet route can still retry. A failing backend therefore sees at most
/// 1 + ratio times its normal traffic, not 1 + Count times.
/// </summary>
internal sealed class RetryBudget(double ratio, TimeProvider time)
{
    private static readonly long Window = TimeSpan.FromSeconds(10).Ticks;
    private const int Floor = 3;
    private readonly Lock _gate = new();
    private long _windowStart = time.GetUtcNow().UtcTicks;
    private int _requests;
    private int _retries;

    public void RecordRequest()
    {
        lock (_gate)
        {
            Roll();
            _requests++;
        }
    }

    public bool TryRetry()
    {
        lock (_gate)
        {
            Roll();
            if (ratio <= 0 || _retries >= Math.Max(Floor, (int)(_requests * ratio))) return false;
            _retries++;
            return true;
        }
    }

    private void Roll()
    {
        var now = time.GetUtcNow().UtcTicks;
        if (now - _windowStart < Window) return;
        _windowStart = now;
        _requests = 0;
        _retries = 0;
    }
}
