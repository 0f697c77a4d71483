namespace Bff.Shared.Caching;

/// <summary>A route's response cache (CacheOptions/FileCacheOptions merged with the global section), compiled.</summary>
internal sealed record RouteCacheModel(TimeSpan Ttl, string Region, string Header, bool HashBody, bool Shared, TimeSpan StaleIfError)
{
    /// <summary>The FusionCache tags of the route's entries (its region and the route), built once per configuration.</summary>
    public string[] Tags { get; init; } = [];
}
