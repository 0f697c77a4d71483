using Bff.Shared.Configuration.File;

namespace Bff.Shared.Resilience;

/// <summary>
/// A route's <c>QoSOptions</c>, resolved the way Ocelot 25 resolves them: legacy names win, out-of-range values fall
/// back to the defaults instead of failing (a file Ocelot accepts keeps working here).
/// </summary>
internal sealed record RouteQosModel(int MinimumThroughput, double FailureRatio, TimeSpan SamplingDuration, TimeSpan BreakDuration, TimeSpan? Timeout)
{
    public const double DefaultFailureRatio = 0.8;
    public const int DefaultSamplingDurationMs = 10_000;
    public const int DefaultBreakDurationMs = 5_000;
    public const int DefaultMinimumThroughput = 100;
    public const int DefaultTimeoutMs = 30_000;
    private const int MaxDurationMs = 86_400_000;

    /// <summary>True when the route has a circuit breaker (QoS may be only a timeout).</summary>
    public bool HasCircuitBreaker => MinimumThroughput > 0;

    /// <summary>The resolved options, or null when QoS is not used (Ocelot's "used" rule).</summary>
    public static RouteQosModel? Create(FileQoSOptions? options)
    {
        if (options is null || !options.IsUsed) return null;

        var throughput = options.ExceptionsAllowedBeforeBreaking ?? options.MinimumThroughput;
        var ratio = options.FailureRatio;
        var breaker = throughput > 0 || ratio > 0;
        // Polly needs at least two calls in a sampling window; an explicit 1 means "open on the first failures".
        var minimumThroughput = !breaker ? 0 : throughput is >= 2 ? throughput.Value : throughput == 1 ? 2 : DefaultMinimumThroughput;
        var failureRatio = ratio is > 0 and <= 1 ? ratio.Value : DefaultFailureRatio;
        // Polly accepts 0.5 s to 1 day; outside that, the default (as Ocelot does).
        var sampling = options.SamplingDuration is > 500 and <= MaxDurationMs ? options.SamplingDuration.Value : DefaultSamplingDurationMs;
        var breakMs = (options.DurationOfBreak ?? options.BreakDuration) is > 500 and <= MaxDurationMs and var b ? b : DefaultBreakDurationMs;
        var timeoutMs = options.TimeoutValue ?? options.Timeout;
        TimeSpan? timeout = timeoutMs is > 0
            ? TimeSpan.FromMilliseconds(timeoutMs is > 10 and < 86_400_000 ? timeoutMs.Value : DefaultTimeoutMs)
            : null;
        return new RouteQosModel(minimumThroughput, failureRatio, TimeSpan.FromMilliseconds(sampling), TimeSpan.FromMilliseconds(breakMs), timeout);
    }
}
