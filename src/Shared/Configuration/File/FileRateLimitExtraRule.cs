namespace Bff.Shared.Configuration.File;

/// <summary>Extension: one more limit of a route (<c>RateLimitOptions.Limits[]</c>).</summary>
internal sealed class FileRateLimitExtraRule
{
    public string? Name { get; set; }
    public long? Limit { get; set; }
    public string? Period { get; set; }
}
