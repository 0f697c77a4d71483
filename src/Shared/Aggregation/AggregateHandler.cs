using System.Buffers;
using Bff.Shared.Problems;
using Bff.Shared.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bff.Shared.Aggregation;

/// <summary>
/// Runs an aggregate: every part is a sub-request that goes through the same route pipeline as a direct call to
/// that route (<see cref="RoutePipeline"/>), independent parts concurrently, chained parts (RouteKeysConfig) once
/// the first part has answered. The request body is read once and shared read-only by every part. Parts answer
/// into bounded buffers; the result is merged into one JSON object (or handed to a custom aggregator).
/// </summary>
internal sealed partial class AggregateHandler(RoutePipeline pipeline, Bff.Shared.Observability.GatewayMetrics metrics, ILogger<AggregateHandler> logger)
{
    private readonly RoutePipeline _pipeline = pipeline;
    private readonly Bff.Shared.Observability.GatewayMetrics _metrics = metrics;
    private readonly ILogger _logger = logger;

    /// <summary>The response header that gives every part's status: <c>user=200, orders=200, payments=504</c>.</summary>
    public const string PartsHeader = "Bff-Aggregate-Parts";

    /// <summary>The member that describes failed parts in Partial mode.</summary>
    public const string ErrorsMember = AggregateResponseWriter.ErrorsMember;

    public async Task InvokeAsync(HttpContext context)
    {
        var feature = context.Features.Get<AggregateFeature>()
            ?? throw new InvalidOperationException("An aggregate endpoint ran without the gateway routing middleware.");
        var aggregate = feature.Aggregate;

        if (!await AggregateAdmission.AdmitAsync(context, aggregate)) return;

        byte[]? body;
        try
        {
            body = await ReadBodyAsync(context.Request, context.RequestAborted);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's refusals of the body: too large, too slow (MinRequestBodyDataRate), badly framed.
            var (title, detail) = e.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => ("Payload Too Large", "The request body is larger than this gateway accepts."),
                StatusCodes.Status408RequestTimeout => ("Request Timeout", "The request body arrived too slowly."),
                _ => ("Bad Request", "The request body could not be read."),
            };
            await GatewayProblems.WriteAsync(context, e.StatusCode is >= 400 and < 500 ? e.StatusCode : StatusCodes.Status400BadRequest, title, detail);
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        if (aggregate.Timeout is { } timeout) deadline.CancelAfter(timeout);
        var run = new AggregateRun(_pipeline, _logger, context, aggregate, feature.Placeholders, body, deadline.Token);
        var parts = await run.ExecuteAsync();
        if (context.RequestAborted.IsCancellationRequested) return;
        foreach (var group in parts)
            foreach (var call in group.Calls) _metrics.AggregatePart(aggregate.Id, call.Key, call.Status);

        await AnswerAsync(context, aggregate, run, parts);
    }

    /// <summary>The aggregate's answer: a refusal (fan-out, size, a part's 401/403, failed required parts) or the merge.</summary>
    private async Task AnswerAsync(HttpContext context, AggregateModel aggregate, AggregateRun run, IReadOnlyList<AggregatePartGroup> parts)
    {
        if (run.FanOutRefused is { } wanted)
        {
            Log.FanOutRefused(_logger, aggregate.Id, wanted, aggregate.MaxFanOut);
            await GatewayProblems.WriteAsync(context, StatusCodes.Status502BadGateway, "Bad Gateway",
                $"The aggregate would need {wanted} downstream calls; at most {aggregate.MaxFanOut} are allowed.");
            return;
        }
        if (run.TooLarge)
        {
            await GatewayProblems.WriteAsync(context, StatusCodes.Status502BadGateway, "Bad Gateway",
                $"The aggregate response would be larger than {aggregate.MaxResponseBytes} bytes.");
            return;
        }

        // Ocelot: an authentication or authorization refusal in any part is the aggregate's answer.
        if (parts.SelectMany(g => g.Calls).FirstOrDefault(p => p.FromGateway && p.Status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden) is { } denied)
        {
            context.Response.StatusCode = denied.Status;
            foreach (var header in (ReadOnlySpan<string>)["Content-Type", "WWW-Authenticate", "Retry-After"])
                if (denied.Headers.TryGetValue(header, out var value)) context.Response.Headers[header] = value;
            await context.Response.Body.WriteAsync(denied.Body, context.RequestAborted);
            return;
        }

        context.Response.Headers[PartsHeader] = string.Join(", ", parts.SelectMany(g => g.Calls).Select(p => $"{p.Key}={p.Status}"));
        if (aggregate.Aggregator is { } name)
        {
            await AggregateResponseWriter.WriteCustomAsync(context, name, parts);
            return;
        }

        var failed = parts.SelectMany(g => g.Calls).Where(p => !p.Succeeded).ToList();
        var fatal = aggregate.FailureMode == AggregateFailureMode.Strict
            ? failed
            : failed.Where(p => aggregate.Required.Contains(p.Key)).ToList();
        if (fatal.Count > 0)
        {
            Log.AggregateFailed(_logger, aggregate.Id, string.Join(", ", fatal.Select(p => $"{p.Key}={p.Status}")));
            await GatewayProblems.WriteAsync(context, StatusCodes.Status502BadGateway, "Bad Gateway",
                $"Aggregate parts failed: {string.Join(", ", fatal.Select(p => p.Key).Distinct())}.",
                problem => problem.Extensions["parts"] = fatal.Select(p => new { key = p.Key, status = p.Status }).ToArray());
            return;
        }

        AggregateResponseWriter.CopyHeaders(context, aggregate, parts);
        var buffer = new ArrayBufferWriter<byte>(4096);
        AggregateResponseWriter.WriteJson(buffer, parts, failed);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.Headers.TransferEncoding.Any(v => v?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)))
            return null;
        // Grows with what arrived (never sized from the client's Content-Length); the limit was set by the admission.
        using var memory = new MemoryStream();
        await request.Body.CopyToAsync(memory, cancellationToken);
        return memory.ToArray();
    }

    private static partial class Log
    {
        [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.FanOutRefused, LogLevel.Warning, "Aggregate {AggregateId} refused: {Wanted} downstream calls needed, at most {Limit} allowed")]
        public static partial void FanOutRefused(ILogger logger, string aggregateId, int wanted, int limit);

        [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.AggregateFailed, LogLevel.Warning, "Aggregate {AggregateId} failed: {Parts}")]
        public static partial void AggregateFailed(ILogger logger, string aggregateId, string parts);

    }
}
