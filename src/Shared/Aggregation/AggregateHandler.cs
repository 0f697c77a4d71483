using System.Buffers;
using System.Text;
using System.Text.Json;
using Bff.Shared.Problems;
using Bff.Shared.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Forwarder;

namespace Bff.Shared.Aggregation;

/// <summary>The aggregate a request matched, with the aggregate template's placeholder values.</summary>
internal sealed class AggregateFeature(AggregateModel aggregate, List<KeyValuePair<string, string>> placeholders)
{
    public AggregateModel Aggregate { get; } = aggregate;
    public List<KeyValuePair<string, string>> Placeholders { get; } = placeholders;
}

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
    public const string ErrorsMember = "$errors";

    // Headers a part must not inherit from the client's request: they would make parts answer 304/206 or compressed.
    private static readonly string[] NotForParts =
    [
        "Accept-Encoding", "If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since", "If-Range", "Range",
        "Content-Length", "Transfer-Encoding", "Expect", "Connection", "Upgrade",
    ];

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
        var run = new Run(this, context, aggregate, feature.Placeholders, body, deadline.Token);
        var parts = await run.ExecuteAsync();
        if (context.RequestAborted.IsCancellationRequested) return;
        foreach (var group in parts)
            foreach (var call in group.Calls) _metrics.AggregatePart(aggregate.Id, call.Key, call.Status);

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
            await WriteCustomAsync(context, name, parts);
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

        CopyHeaders(context, aggregate, parts);
        var buffer = new ArrayBufferWriter<byte>(4096);
        WriteJson(buffer, parts, failed);
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

    private static void CopyHeaders(HttpContext context, AggregateModel aggregate, IReadOnlyList<PartGroup> parts)
    {
        foreach (var name in aggregate.CopyHeaders)
        {
            var source = parts.SelectMany(g => g.Calls).FirstOrDefault(p => p.Succeeded && p.Headers.ContainsKey(name));
            if (source is not null) context.Response.Headers[name] = source.Headers[name];
        }
    }

    /// <summary><c>{"Key": part, …}</c> in RouteKeys order; chained keys as arrays; Partial failures under <c>$errors</c>.</summary>
    private static void WriteJson(IBufferWriter<byte> output, IReadOnlyList<PartGroup> parts, List<AggregatePart> failed)
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

    private async Task WriteCustomAsync(HttpContext context, string name, IReadOnlyList<PartGroup> parts)
    {
        var aggregator = context.RequestServices.GetRequiredKeyedService<IBffAggregator>(name);
        var result = await aggregator.AggregateAsync(new AggregateContext(context, [.. parts.SelectMany(g => g.Calls)]), context.RequestAborted);
        context.Response.StatusCode = result.StatusCode;
        foreach (var (header, value) in result.Headers) context.Response.Headers[header] = value;
        context.Response.ContentType = result.ContentType;
        context.Response.ContentLength = result.Body.Length;
        await context.Response.Body.WriteAsync(result.Body, context.RequestAborted);
    }

    /// <summary>The answers of one RouteKey: one call, or one per chained value.</summary>
    private sealed record PartGroup(string Key, bool Chained, List<AggregatePart> Calls);

    /// <summary>
    /// What every part copies from the client's request, read once on the request's own thread: HttpContext and its
    /// feature cache are not thread-safe, and parts run concurrently.
    /// </summary>
    private sealed record RequestSnapshot(
        string Protocol, string Method, string Scheme, PathString PathBase, PathString Path, string QueryString, string RawTarget,
        KeyValuePair<string, StringValues>[] Headers, IHttpConnectionFeature? Connection, IServiceProvider Services,
        System.Security.Claims.ClaimsPrincipal User, string TraceIdentifier)
    {
        public static RequestSnapshot Of(HttpContext context)
        {
            var request = context.Request;
            return new RequestSnapshot(
                request.Protocol, request.Method, request.Scheme, request.PathBase, request.Path, request.QueryString.Value ?? "",
                context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "/",
                [.. request.Headers.Where(h => !NotForParts.Contains(h.Key, StringComparer.OrdinalIgnoreCase))],
                context.Features.Get<IHttpConnectionFeature>(), context.RequestServices, context.User, context.TraceIdentifier);
        }
    }

    /// <summary>One execution of an aggregate.</summary>
    private sealed class Run(
        AggregateHandler handler, HttpContext context, AggregateModel aggregate,
        List<KeyValuePair<string, string>> placeholders, byte[]? body, CancellationToken cancellationToken)
    {
        private readonly RequestSnapshot _request = RequestSnapshot.Of(context);
        private long _bytes;

        public int? FanOutRefused { get; private set; }
        public bool TooLarge { get; private set; }

        public async Task<IReadOnlyList<PartGroup>> ExecuteAsync()
        {
            var parts = aggregate.Parts;
            var groups = parts.Select(p => new PartGroup(p.Key, p.IsChained, [])).ToArray();
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
            var capture = new CaptureStream(this);
            // Each part gets its own DI scope (authentication handlers are per request), its own copy of the
            // principal (AddClaimsToRequest changes it) and of the placeholder values (ChangeDownstreamPathTemplate).
            await using var scope = _request.Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
            var sub = CreatePartContext(capture, scope.ServiceProvider);
            sub.Features.Set(new GatewayFeature(part.Route, [.. values]));
            sub.SetEndpoint(part.Route.Endpoint);
            try
            {
                await handler._pipeline.Invoke(sub);
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
                Log.PartFailed(handler._logger, aggregate.Id, part.Key, e);
                return new AggregatePart(part.Key, StatusCodes.Status500InternalServerError, Empty, ReadOnlyMemory<byte>.Empty) { FromGateway = true };
            }

            var error = sub.Features.Get<IForwarderErrorFeature>();
            if (error?.Exception is AggregateTooLargeException || error?.Exception?.InnerException is AggregateTooLargeException) TooLarge = true;
            var canceled = error?.Error is ForwarderError.RequestCanceled or ForwarderError.ResponseBodyCanceled or ForwarderError.RequestBodyCanceled;
            if (cancellationToken.IsCancellationRequested && (canceled || !capture.Completed(sub)))
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

        private DefaultHttpContext CreatePartContext(Stream responseBody, IServiceProvider services)
        {
            var request = _request;
            var headers = new HeaderDictionary(request.Headers.Length + 1);
            foreach (var (name, value) in request.Headers) headers[name] = value;
            if (body is not null) headers.ContentLength = body.Length;

            var features = new FeatureCollection();
            features.Set<IHttpRequestFeature>(new HttpRequestFeature
            {
                Protocol = request.Protocol,
                Method = request.Method,
                Scheme = request.Scheme,
                PathBase = request.PathBase,
                Path = request.Path,
                QueryString = request.QueryString,
                RawTarget = request.RawTarget,
                Headers = headers,
                // Read-only views of the one buffer: the body is read once, never copied per part.
                Body = body is null ? Stream.Null : new MemoryStream(body, writable: false),
            });
            features.Set<IHttpRequestBodyDetectionFeature>(new BodyDetection(body is not null));
            features.Set<IHttpResponseFeature>(new HttpResponseFeature());
            features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(responseBody));
            features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = cancellationToken });
            features.Set<IHttpRequestIdentifierFeature>(new HttpRequestIdentifierFeature { TraceIdentifier = request.TraceIdentifier });
            if (request.Connection is { } connection) features.Set(connection);
            var user = new System.Security.Claims.ClaimsPrincipal(request.User.Identities.Select(i => i.Clone()));
            return new DefaultHttpContext(features) { RequestServices = services, User = user };
        }

        public void Count(int bytes)
        {
            if (Interlocked.Add(ref _bytes, bytes) > aggregate.MaxResponseBytes)
            {
                TooLarge = true;
                throw new AggregateTooLargeException();
            }
        }
    }

    private sealed class BodyDetection(bool canHaveBody) : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody { get; } = canHaveBody;
    }

    private sealed class AggregateTooLargeException() : IOException("The aggregate response exceeds its size limit.");

    /// <summary>A part's response body, counted against the aggregate's size limit as it arrives.</summary>
    private sealed class CaptureStream(Run run) : Stream
    {
        private readonly MemoryStream _buffer = new();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _buffer.Length;
        public override long Position { get => _buffer.Position; set => throw new NotSupportedException(); }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            run.Count(buffer.Length);
            _buffer.Write(buffer);
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override void Flush() { }
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public bool Completed(HttpContext context) =>
            context.Response.ContentLength is not { } length || length == _buffer.Length;

        public ReadOnlyMemory<byte> ToMemory() => new(_buffer.GetBuffer(), 0, (int)_buffer.Length);
    }

    private static partial class Log
    {
        [LoggerMessage(200, LogLevel.Warning, "Aggregate {AggregateId} refused: {Wanted} downstream calls needed, at most {Limit} allowed")]
        public static partial void FanOutRefused(ILogger logger, string aggregateId, int wanted, int limit);

        [LoggerMessage(201, LogLevel.Warning, "Aggregate {AggregateId} failed: {Parts}")]
        public static partial void AggregateFailed(ILogger logger, string aggregateId, string parts);

        [LoggerMessage(202, LogLevel.Error, "Aggregate {AggregateId}: part {Key} threw")]
        public static partial void PartFailed(ILogger logger, string aggregateId, string key, Exception exception);
    }
}
