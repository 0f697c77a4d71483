using System.Text.Json;
using Microsoft.Extensions.Primitives;

namespace Bff.Shared.Aggregation;

/// <summary>One sub-response. <see cref="Status"/> is what the route answered (gateway errors included:
/// 502, 504 …); a part that could not run at all (timeout of the aggregate) has status 504 and an empty body.</summary>
public sealed record AggregatePart(string Key, int Status, IReadOnlyDictionary<string, StringValues> Headers, ReadOnlyMemory<byte> Body)
{
    /// <summary>The gateway answered for this part (401, 403, 502, 504 …), not the downstream service.</summary>
    public bool FromGateway { get; init; }

    public bool Succeeded => Status is >= 200 and < 400;

    public string? ContentType => Headers.TryGetValue("Content-Type", out var v) ? v.ToString() : null;

    /// <summary>The body as JSON, or null when it is empty or not JSON.</summary>
    public JsonDocument? TryParseJson()
    {
        if (Body.IsEmpty) return null;
        try { return JsonDocument.Parse(Body); }
        catch (JsonException) { return null; }
    }
}
