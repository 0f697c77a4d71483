using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Bff.Shared.Aggregation;

/// <summary>
/// A custom aggregator, named by an aggregate's <c>Aggregator</c> property (Ocelot's <c>IDefinedAggregator</c>).
/// Register it with <c>AddBffAggregator&lt;T&gt;("Name")</c>. It receives every part — never null — and builds the
/// response.
/// </summary>
public interface IBffAggregator
{
    ValueTask<AggregateResponse> AggregateAsync(AggregateContext context, CancellationToken cancellationToken);
}

/// <summary>The input of a custom aggregator.</summary>
/// <param name="HttpContext">The client's request (read only: the aggregator's answer is written for it).</param>
/// <param name="Parts">Every part in RouteKeys order (a chained key contributes one part per call).</param>
public sealed record AggregateContext(HttpContext HttpContext, IReadOnlyList<AggregatePart> Parts)
{
    /// <summary>The first part with this key, or null.</summary>
    public AggregatePart? Part(string key) => Parts.FirstOrDefault(p => p.Key == key);
}

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

/// <summary>What a custom aggregator answers.</summary>
public sealed record AggregateResponse(int StatusCode, string ContentType, ReadOnlyMemory<byte> Body)
{
    public IReadOnlyDictionary<string, StringValues> Headers { get; init; } = new Dictionary<string, StringValues>();

    public static AggregateResponse Json<T>(T value, int statusCode = StatusCodes.Status200OK) =>
        new(statusCode, "application/json; charset=utf-8", JsonSerializer.SerializeToUtf8Bytes(value, JsonSerializerOptions.Web));
}
