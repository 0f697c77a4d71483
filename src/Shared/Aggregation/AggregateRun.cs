using Bff.Shared.Problems;
using Bff.Shared.Routing;
using Bff.Shared.Streams;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Forwarder;

namespace Bff.Shared.Aggregation;

/// <summary>
/// One execution of an aggregate: every part is a sub-request through the same route pipeline as a direct call to
/// that route (<see cref="RoutePipeline"/>), independent parts concurrently, chained parts (RouteKeysConfig) once the
/// first part has answered; answers are captured into buffers counted against the aggregate's size limit.
/// </summary>
internal sealed partial class AggregateRun(
    RoutePipeline pipeline, ILogger logger, HttpContext context, AggregateModel aggregate,
    List<KeyValuePair<string, string>> placeholders, byte[]? body, CancellationToken cancellationToken)
{
    private readonly AggregatePartContext _request = AggregatePartContext.Of(context);
    private long _bytes;

    public int? FanOutRefused { get; private set; }
    public bool TooLarge { get; private set; }

    public async Task<IReadOnlyList<AggregatePartGroup>> ExecuteAsync()
    {
        var parts = aggregate.Parts;
        var groups = parts.Select(p => new AggregatePartGroup(p.Key, p.IsChained, [])).ToArray();
        var direct = new Task<AggregatePart>?[parts.Length];
        var calls = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].IsChained) continue;
            calls++;
            direct[i] = CallAsync(parts[i], placeholders);
        }

        if (parts.Any(p => p.IsChained))
        {
            // Ocelot: values picked from the first RouteKey's response feed the chained parts.
            var first = await direct[0]!;
            using var document = first.Succeeded ? first.TryParseJson() : null;
            var plans = new List<(int Index, string[] Values)>();
            for (var i = 0; i < parts.Length; i++)
            {
                if (!parts[i].IsChained) continue;
                var values = document is null ? [] : parts[i].JsonPath!.Select(document.RootElement)
                    .Select(JsonPathQuery.ToParameter).Distinct(StringComparer.Ordinal).ToArray();
                calls += values.Length;
                plans.Add((i, values));
            }
            if (calls > aggregate.MaxFanOut)
            {
                FanOutRefused = calls;
                await Task.WhenAll(direct.Where(t => t is not null)!);
                return groups;
            }
            var chained = plans.Select(async plan =>
            {
                var part = parts[plan.Index];
                var results = await Task.WhenAll(plan.Values.Select(value => CallAsync(part, With(placeholders, part.Parameter!, value))));
                groups[plan.Index].Calls.AddRange(results);
            }).ToList();
            await Task.WhenAll(chained);
        }

        for (var i = 0; i < parts.Length; i++)
            if (direct[i] is { } task) groups[i].Calls.Add(await task);
        return groups;
    }

    private static List<KeyValuePair<string, string>> With(List<KeyValuePair<string, string>> values, string name, string value)
    {
        var copy = new List<KeyValuePair<string, string>>(values.Count + 1) { new(name, value) };
        copy.AddRange(values.Where(v => v.Key != name));
        return copy;
    }

    private async Task<AggregatePart> CallAsync(AggregatePartModel part, List<KeyValuePair<string, string>> values)
    {
        await Task.Yield(); // parts start concurrently, not one after the other up to their first await
        var capture = new CaptureStream(new AggregateSizeLimit(this));
        // Each part gets its own DI scope (authentication handlers are per request), its own copy of the
        // principal (AddClaimsToRequest changes it) and of the placeholder values (ChangeDownstreamPathTemplate).
        await using var scope = _request.Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var sub = _request.Create(capture, scope.ServiceProvider, body, cancellationToken);
        sub.Features.Set(new GatewayFeature(part.Route, [.. values]));
        sub.SetEndpoint(part.Route.Endpoint);
        try
        {
            await pipeline.Invoke(sub);
        }
        catch (AggregateTooLargeException)
        {
            TooLarge = true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Log.PartFailed(logger, aggregate.Id, part.Key, e);
            return new AggregatePart(part.Key, StatusCodes.Status500InternalServerError, Empty, ReadOnlyMemory<byte>.Empty) { FromGateway = true };
        }

        var error = sub.Features.Get<IForwarderErrorFeature>();
        if (error?.Exception is AggregateTooLargeException || error?.Exception?.InnerException is AggregateTooLargeException) TooLarge = true;
        var canceled = error?.Error is ForwarderError.RequestCanceled or ForwarderError.ResponseBodyCanceled or ForwarderError.RequestBodyCanceled;
        if (cancellationToken.IsCancellationRequested && (canceled || !Completed(sub, capture)))
        {
            // The aggregate's own deadline cut this part short: it counts as a gateway timeout.
            return new AggregatePart(part.Key, StatusCodes.Status504GatewayTimeout, Empty, ReadOnlyMemory<byte>.Empty) { FromGateway = true };
        }
        var headers = new Dictionary<string, StringValues>(sub.Response.Headers, StringComparer.OrdinalIgnoreCase);
        return new AggregatePart(part.Key, sub.Response.StatusCode, headers, capture.ToMemory())
        {
            FromGateway = sub.Features.Get<GatewayAnswerFeature>() is not null,
        };
    }

    private static readonly IReadOnlyDictionary<string, StringValues> Empty = new Dictionary<string, StringValues>();

    /// <summary>Counts a part's bytes against the aggregate's limit; false (and TooLarge) once over it.</summary>
    public bool TryCount(int bytes)
    {
        if (Interlocked.Add(ref _bytes, bytes) <= aggregate.MaxResponseBytes) return true;
        TooLarge = true;
        return false;
    }

    private static bool Completed(HttpContext part, CaptureStream capture) =>
        part.Response.ContentLength is not { } length || length == capture.Length;

    private static partial class Log
    {
        [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.PartFailed, LogLevel.Error, "Aggregate {AggregateId}: part {Key} threw")]
        public static partial void PartFailed(ILogger logger, string aggregateId, string key, Exception exception);
    }
}
