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
