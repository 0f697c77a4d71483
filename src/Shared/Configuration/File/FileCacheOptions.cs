namespace Bff.Shared.Configuration.File;

internal class FileCacheOptions
{
    public int? TtlSeconds { get; set; }
    public string? Region { get; set; }
    public string? Header { get; set; }
    public bool? EnableContentHashing { get; set; }

    /// <summary>Extension: on an authenticated route, one entry for every caller (default false: per identity).</summary>
    public bool? Shared { get; set; }

    /// <summary>Extension: how long past its TTL an entry may still be served when the downstream fails (default 300 s).</summary>
    public int? StaleIfErrorSeconds { get; set; }
}
