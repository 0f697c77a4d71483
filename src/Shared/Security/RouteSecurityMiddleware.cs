using Bff.Shared.Forwarding;
using Bff.Shared.Problems;
using Bff.Shared.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Bff.Shared.Security;

/// <summary>
/// The first route-level step, before any identity check (Ocelot runs Security before Authentication, schema §6.1):
/// IP allow/block lists (403), the body limit (413), placeholder safety (400, also for values an aggregate took
/// from another response) and the request id — so even a refused request carries the client's request id, and a
/// blocked address cannot probe keys.
/// </summary>
internal sealed class RouteSecurityMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var feature = context.Features.Get<GatewayFeature>()
            ?? throw new InvalidOperationException("A gateway route ran without the gateway routing middleware.");
        var route = feature.Route;

        if (route.RequestIdKey is { } requestIdKey && context.Request.Headers[requestIdKey] is { Count: > 0 } requestId && !string.IsNullOrEmpty(requestId[0]))
            context.TraceIdentifier = requestId[0]!;

        if (route.IpPolicy is { } policy && !policy.IsAllowed(context.Connection.RemoteIpAddress))
            return GatewayProblems.WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden", "The client address is not allowed on this route.");

        var bodyLimit = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (route.MaxRequestBodySize is long max && bodyLimit is { IsReadOnly: false }) bodyLimit.MaxRequestBodySize = max;
        // Refuse a declared body over the limit before anything goes downstream (a chunked one is cut by Kestrel).
        if (context.Request.ContentLength > (route.MaxRequestBodySize ?? bodyLimit?.MaxRequestBodySize ?? long.MaxValue))
            return GatewayForwarder.PayloadTooLarge(context);

        foreach (var (_, value) in feature.Placeholders)
        {
            if (PathSafety.IsUnsafe(value))
                return GatewayProblems.WriteAsync(context, StatusCodes.Status400BadRequest, "Bad request",
                    "A placeholder value contains a '..' segment or an encoded '/' or '\\'.");
        }
        return next(context);
    }
}
