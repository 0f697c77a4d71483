namespace Bff.Shared.Headers;

/// <summary>
/// One entry of <c>UpstreamHeaderTransform</c> / <c>DownstreamHeaderTransform</c> (schema §6.4). A value with a
/// comma is find-and-replace on the header's first value (<c>"find, replace"</c>); any other value sets the header.
/// A value that is exactly one placeholder (<c>{RemoteIpAddress}</c>, <c>{UpstreamHost}</c>, <c>{TraceId}</c>,
/// <c>{BaseUrl}</c>, <c>{DownstreamBaseUrl}</c>, or a key under the <c>HeaderValues</c> configuration section such as
/// <c>{HeaderValues:Tenant}</c> — no other configuration key) is resolved per request; placeholders inside find/replace text too.
/// </summary>
internal sealed record HeaderTransform(string Header, string? SetValue, string? Find, string? Replace)
{
    public bool IsFindReplace => Find is not null;

    public static HeaderTransform Parse(string header, string value)
    {
        var comma = value.IndexOf(',');
        if (comma < 0) return new HeaderTransform(header, value, null, null);
        return new HeaderTransform(header, null, value[..comma], value[(comma + 1)..].TrimStart());
    }

    /// <summary>Merges global transforms under the route's (route entry wins for the same header).</summary>
    public static HeaderTransform[] Merge(IReadOnlyDictionary<string, string> route, IReadOnlyDictionary<string, string> global)
    {
        var merged = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in global) merged[k] = v;
        foreach (var (k, v) in route) merged[k] = v;
        return [.. merged.Select(kv => Parse(kv.Key, kv.Value))];
    }
}
