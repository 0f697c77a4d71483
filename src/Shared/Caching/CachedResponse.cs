namespace Bff.Shared.Caching;

/// <summary>A stored response: status, the headers worth keeping, the body, and when it was stored.</summary>
internal sealed record CachedResponse(int Status, Dictionary<string, string[]> Headers, byte[] Body, DateTimeOffset StoredAt)
{
    /// <summary>Set on a response that must not be stored (the caller that made it sends it; others call for theirs).</summary>
    public bool Uncacheable { get; init; }
}
