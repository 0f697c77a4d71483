using Bff.Shared.Aggregation;

namespace Bff.Shared.Routing;

/// <summary>One loaded configuration: routes and aggregates in matching order (priority, then routes before
/// aggregates in file order — Ocelot's stable OrderByDescending over Routes ∪ Aggregates).</summary>
internal sealed class GatewayModel
{
    public required MatchTarget[] Targets { get; init; }
    public required RouteModel[] Routes { get; init; }
    public required AggregateModel[] Aggregates { get; init; }
    public required IReadOnlyList<string> Files { get; init; }
    public bool AnyUpstreamHost { get; init; }
    public bool AnyQueryTemplate { get; init; }
    /// <summary>Headers removed from every inbound request before routing: those the gateway asserts (set by any
    /// route from claims or transforms) and <c>Gateway:StripRequestHeaders</c>.</summary>
    public string[] StrippedRequestHeaders { get; init; } = [];
    public DateTimeOffset LoadedAt { get; init; }
    public int Version { get; init; }
}
