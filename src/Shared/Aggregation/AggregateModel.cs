using Bff.Shared.Routing;

namespace Bff.Shared.Aggregation;

/// <summary>What an aggregate does when parts fail (extension property <c>FailureMode</c>).</summary>
public enum AggregateFailureMode
{
    /// <summary>Failed parts become null, the answer is 200 and describes the failures (default).</summary>
    Partial,
    /// <summary>Any failed part fails the whole aggregate: 502 problem+json naming the failed parts.</summary>
    Strict,
}

/// <summary>One part of an aggregate: a route, and for chained parts where its parameter values come from.</summary>
internal sealed record AggregatePartModel(string Key, RouteModel Route, JsonPathQuery? JsonPath, string? Parameter)
{
    public bool IsChained => JsonPath is not null;
}

/// <summary>An aggregate (<c>Aggregates[]</c>), validated and compiled.</summary>
internal sealed class AggregateModel : MatchTarget
{
    public required AggregatePartModel[] Parts { get; init; }
    public AggregateFailureMode FailureMode { get; init; }
    public IReadOnlySet<string> Required { get; init; } = new HashSet<string>();
    public TimeSpan? Timeout { get; init; }
    public int MaxFanOut { get; init; } = AggregateDefaults.MaxFanOut;
    public long MaxResponseBytes { get; init; } = AggregateDefaults.MaxResponseBytes;
    public string[] CopyHeaders { get; init; } = [];
    /// <summary>Name of a registered <see cref="IBffAggregator"/>, or null for the JSON merge.</summary>
    public string? Aggregator { get; init; }
}

internal static class AggregateDefaults
{
    public const int MaxFanOut = 50;
    public const long MaxResponseBytes = 8 * 1024 * 1024;
}
