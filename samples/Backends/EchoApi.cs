using Microsoft.AspNetCore.Http.Features;

namespace Bffs.Backends;

/// <summary>ANY /echo/{**rest}: answers with what arrived, so gateway tests can see the forwarded request.</summary>
internal static class EchoApi
{
    public static void MapEchoApi(this IEndpointRouteBuilder app, BackendService service) =>
        app.Map("/echo/{**rest}", (HttpContext context, CancellationToken aborted) => EchoAsync(context, service.Name(), aborted));

    private static async Task<IResult> EchoAsync(HttpContext context, string service, CancellationToken aborted)
    {
        var request = context.Request;
        string? body = null;
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            using var reader = new StreamReader(request.Body);
            body = await reader.ReadToEndAsync(aborted);
        }

        return TypedResults.Ok(new EchoResponse(
            service,
            request.Method,
            request.PathBase + request.Path,
            context.Features.Get<IHttpRequestFeature>()?.RawTarget,
            request.QueryString.Value ?? "",
            request.Headers.ToDictionary(h => h.Key, h => string.Join(", ", h.Value.ToArray())),
            body));
    }

    /// <param name="Path">PathBase + Path as ASP.NET Core sees it (percent-decoded, except %2F).</param>
    /// <param name="RawTarget">The request target exactly as sent (path and query, still encoded).</param>
    /// <param name="Query">The raw query string including the leading '?', or empty.</param>
    /// <param name="Headers">Request headers; repeated values joined with ", ".</param>
    private sealed record EchoResponse(
        string Service,
        string Method,
        string Path,
        string? RawTarget,
        string Query,
        Dictionary<string, string> Headers,
        string? Body);
}
