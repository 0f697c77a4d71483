using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Bff.Shared.Aggregation;

/// <summary>What a custom aggregator answers.</summary>
public sealed record AggregateResponse(int StatusCode, string ContentType, ReadOnlyMemory<byte> Body)
{
    public IReadOnlyDictionary<string, StringValues> Headers { get; init; } = new Dictionary<string, StringValues>();

    public static AggregateResponse Json<T>(T value, int statusCode = StatusCodes.Status200OK) =>
        new(statusCode, "application/json; charset=utf-8", JsonSerializer.SerializeToUtf8Bytes(value, JsonSerializerOptions.Web));
}
