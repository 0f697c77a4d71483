using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Bff.Shared.Aggregation;

/// <summary>
/// What every part copies from the client's request, read once on the request's own thread: HttpContext and its
/// feature cache are not thread-safe, and parts run concurrently.
/// </summary>
internal sealed record AggregatePartContext(
    string Protocol, string Method, string Scheme, PathString PathBase, PathString Path, string QueryString, string RawTarget,
    KeyValuePair<string, StringValues>[] Headers, IHttpConnectionFeature? Connection, IServiceProvider Services,
    System.Security.Claims.ClaimsPrincipal User, string TraceIdentifier)
{
    // Headers a part must not inherit from the client's request: they would make parts answer 304/206 or compressed.
    private static readonly string[] NotForParts =
    [
        "Accept-Encoding", "If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since", "If-Range", "Range",
        "Content-Length", "Transfer-Encoding", "Expect", "Connection", "Upgrade",
    ];

    public static AggregatePartContext Of(HttpContext context)
    {
        var request = context.Request;
        return new AggregatePartContext(
            request.Protocol, request.Method, request.Scheme, request.PathBase, request.Path, request.QueryString.Value ?? "",
            context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "/",
            [.. request.Headers.Where(h => !NotForParts.Contains(h.Key, StringComparer.OrdinalIgnoreCase))],
            context.Features.Get<IHttpConnectionFeature>(), context.RequestServices, context.User, context.TraceIdentifier);
    }

    /// <summary>A sub-request for one part: the snapshot, the shared body (read-only), its own response body.</summary>
    public DefaultHttpContext Create(Stream responseBody, IServiceProvider services, byte[]? body, CancellationToken cancellationToken)
    {
        var request = this;
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

    private sealed class BodyDetection(bool canHaveBody) : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody { get; } = canHaveBody;
    }
}
