using Bff.Shared.Configuration.File;

namespace Bff.Shared.Configuration;

/// <summary>The route files of one gateway, merged and bound, with where each item came from.</summary>
internal sealed class LoadedConfiguration
{
    public FileConfiguration File { get; init; } = new();
    public IReadOnlyList<string> Files { get; init; } = [];
    public IReadOnlyList<ItemSource> RouteSources { get; init; } = [];
    public IReadOnlyList<ItemSource> AggregateSources { get; init; } = [];
    public IReadOnlyList<ItemSource> DynamicRouteSources { get; init; } = [];
    public string GlobalSource { get; init; } = "";
    /// <summary>False when a file could not even be parsed: nothing was bound.</summary>
    public bool Bound { get; init; }
    /// <summary>Indexes (merged) of routes and aggregates whose values could not be bound; their errors are reported.</summary>
    public HashSet<int> UnboundRoutes { get; init; } = [];
    public HashSet<int> UnboundAggregates { get; init; } = [];
    public List<ConfigError> Errors { get; } = [];
    public List<string> Warnings { get; } = [];
}
