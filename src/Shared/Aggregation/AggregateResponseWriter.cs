using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Shared.Aggregation;

/// <summary>Writes an aggregate's answer: the merged JSON object (Ocelot's shape plus <c>$errors</c>), the copied
/// headers, or a custom aggregator's result.</summary>
internal static class AggregateResponseWriter
{
    /// <summary>The member that describes failed parts in Partial mode.</summary>
    public const string ErrorsMember = "$errors";

    public static void CopyHeaders(HttpContext context, AggregateModel aggregate, IReadOnlyList<AggregatePartGroup> parts)
    {
        foreach (var name in aggregate.CopyHeaders)
        {
            var source = parts.SelectMany(g => g.Calls).FirstOrDefault(p => p.Succeeded && p.Headers.ContainsKey(name));
            if (source is not null) context.Response.Headers[name] = source.Headers[name];
        }
    }

    /// <summary><c>{"Key": part, …}</c> in RouteKeys order; chained keys as arrays; Partial failures under <c>$errors</c>.</summary>
    public static void WriteJson(IBufferWriter<byte> output, IReadOnlyList<AggregatePartGroup> parts, List<AggregatePart> failed)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        foreach (var group in parts)
        {
            writer.WritePropertyName(group.Key);
            if (!group.Chained)
            {
                WritePart(writer, group.Calls[0]);
                continue;
            }
            writer.WriteStartArray();
            foreach (var call in group.Calls) WritePart(writer, call);
            writer.WriteEndArray();
        }
        if (failed.Count > 0)
        {
            writer.WriteStartArray(ErrorsMember);
            foreach (var group in parts)
            {
                for (var i = 0; i < group.Calls.Count; i++)
                {
                    var call = group.Calls[i];
                    if (call.Succeeded) continue;
                    writer.WriteStartObject();
                    writer.WriteString("key", call.Key);
                    if (group.Chained) writer.WriteNumber("index", i);
                    writer.WriteNumber("status", call.Status);
                    writer.WriteString("title", ReasonPhrase(call.Status));
                    writer.WriteEndObject();
                }
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    private static void WritePart(Utf8JsonWriter writer, AggregatePart part)
    {
        if (!part.Succeeded || part.Body.IsEmpty) { writer.WriteNullValue(); return; }
        if (IsJson(part)) { writer.WriteRawValue(part.Body.Span, skipInputValidation: true); return; }
        writer.WriteStringValue(Encoding.UTF8.GetString(part.Body.Span));
    }

    private static bool IsJson(AggregatePart part)
    {
        var reader = new Utf8JsonReader(part.Body.Span, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            while (reader.Read()) { }
            return reader.BytesConsumed == part.Body.Length;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";

    public static async Task WriteCustomAsync(HttpContext context, string name, IReadOnlyList<AggregatePartGroup> parts)
    {
        var aggregator = context.RequestServices.GetRequiredKeyedService<IBffAggregator>(name);
        var result = await aggregator.AggregateAsync(new AggregateContext(context, [.. parts.SelectMany(g => g.Calls)]), context.RequestAborted);
        context.Response.StatusCode = result.StatusCode;
        foreach (var (header, value) in result.Headers) context.Response.Headers[header] = value;
        context.Response.ContentType = result.ContentType;
        context.Response.ContentLength = result.Body.Length;
        await context.Response.Body.WriteAsync(result.Body, context.RequestAborted);
    }
}
