using Bff.Shared.LoadBalancing;
using Microsoft.AspNetCore.Http;

namespace Bff.Shared.Routing;

/// <summary>
/// Per-request gateway state, stored as a typed feature on <c>HttpContext.Features</c> (never in <c>Items</c>):
/// the matched route, its placeholder values and, once chosen, the destination.
/// </summary>
internal sealed class GatewayFeature(RouteModel route, List<KeyValuePair<string, string>> placeholders)
{
    public RouteModel Route { get; } = route;
    public List<KeyValuePair<string, string>> Placeholders { get; } = placeholders;
    public Destination? Destination { get; set; }
    /// <summary>scheme://host:port the request is forwarded to.</summary>
    public string? DestinationPrefix { get; set; }
    /// <summary>Ocelot's {DownstreamBaseUrl}: scheme://host[:port]/ (port omitted for 80/443).</summary>
    public string? DownstreamBaseUrl { get; set; }
    /// <summary>Headers from AddHeadersToRequest (replace the client's).</summary>
    public List<KeyValuePair<string, string>>? ExtraHeaders { get; set; }
    /// <summary>Query parameters from AddQueriesToRequest (replace or add).</summary>
    public List<KeyValuePair<string, string>>? ExtraQuery { get; set; }

    /// <summary>The downstream path and query after every substitution (placeholders, header captures, chained
    /// values, ChangeDownstreamPathTemplate, AddQueriesToRequest): what the backend is asked for.</summary>
    public (PathString Path, QueryString Query) DownstreamTarget(HttpRequest request)
    {
        var path = Route.Downstream.BuildPath(Placeholders, request.Path.Value ?? "/");
        var query = Route.Downstream.BuildQuery(Placeholders, request.QueryString);
        if (ExtraQuery is { } extraQuery) query = DownstreamTemplate.WithParameters(query, extraQuery);
        return (path, query);
    }
}
