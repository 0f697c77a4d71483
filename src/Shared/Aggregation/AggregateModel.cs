using Bff.Shared.Routing;

namespace Bff.Shared.Aggregation;

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
