namespace Bff.Shared.Caching;

/// <summary>A route's response cache (CacheOptions/FileCacheOptions merged with the global section), compiled.</summary>
internal sealed record RouteCacheModel(TimeSpan Ttl, string Region, string Header, bool HashBody, bool Shared, TimeSpan StaleIfError)
{
    /// <summary>The FusionCache tags of the route's entries (its region and the route), built once per configuration.</summary>
    public string[] Tags { get; init; } = [];
}

/// <summary>A stored response: status, the headers worth keeping, the body, and when it was stored.</summary>
public sealed record CachedResponse(int Status, Dictionary<string, string[]> Headers, byte[] Body, DateTimeOffset StoredAt)
{
    /// <summary>Set on a response that must not be stored (the caller that made it sends it; others call for theirs).</summary>
    public bool Uncacheable { get; init; }
}
