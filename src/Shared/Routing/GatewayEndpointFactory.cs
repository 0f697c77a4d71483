using Bff.Shared.Aggregation;
using Microsoft.AspNetCore.Http;

namespace Bff.Shared.Routing;

/// <summary>
/// Turns each route and aggregate into an ASP.NET Core <see cref="Endpoint"/> (YARP's model): the model travels as
/// endpoint metadata, so framework middlewares (authentication, authorization, rate limiting, output caching) can act
/// on gateway routes through metadata the later features add here.
/// </summary>
/// <summary>Gives ASP.NET Core's <c>http.server.request.duration</c> its <c>http.route</c>: the route's Key, else its
/// upstream template.</summary>
internal sealed record RouteDiagnostics(string Route) : Microsoft.AspNetCore.Http.Metadata.IRouteDiagnosticsMetadata;

internal sealed class GatewayEndpointFactory(RoutePipeline pipeline, AggregateHandler aggregates)
{
    public Endpoint Create(MatchTarget target) => target switch
    {
        RouteModel route => new Endpoint(context => pipeline.Invoke(context), new EndpointMetadataCollection(route, new RouteDiagnostics(route.Id)), $"Gateway route {route.Id}"),
        AggregateModel aggregate => new Endpoint(aggregates.InvokeAsync, new EndpointMetadataCollection(aggregate, new RouteDiagnostics(aggregate.Id)), $"Gateway aggregate {aggregate.Id}"),
        _ => throw new ArgumentOutOfRangeException(nameof(target)),
    };
}
