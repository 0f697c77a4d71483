using Bff.Shared.Routing;

namespace Bff.Shared.Headers;

/// <summary>
/// The headers a host's backends may trust because only the gateway sets them: every header any route of the host
/// sets (AddHeadersToRequest, set-value UpstreamHeaderTransform entries) plus <c>Gateway:StripRequestHeaders</c>.
/// They are removed from every inbound request, on every route, before routing, so a client can never send them.
/// The credentials the gateway itself reads (Authorization, Cookie, X-Api-Key, X-CSRF) and the message framing
/// headers are never in the set: they are removed after authentication where they must not travel on.
/// </summary>
internal static class AssertedHeaders
{
    private static readonly HashSet<string> NeverStripped = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Authorization", "Cookie", "Content-Type", "Content-Length", "Content-Encoding", "Transfer-Encoding",
        ApiKeys.ApiKeyDefaults.HeaderName, Sessions.SessionDefaults.CsrfHeader,
    };

    public static string[] For(IEnumerable<RouteModel> routes, IEnumerable<string> configured)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in configured)
            if (!string.IsNullOrWhiteSpace(name)) names.Add(name.Trim());
        foreach (var route in routes)
        {
            foreach (var (name, _) in route.Auth?.AddHeaders ?? []) names.Add(name);
            foreach (var transform in route.RequestHeaderTransforms)
                if (!transform.IsFindReplace) names.Add(transform.Header);
        }
        names.ExceptWith(NeverStripped);
        return [.. names.Order(StringComparer.OrdinalIgnoreCase)];
    }
}
