using Bff.Shared.Aggregation;
using Microsoft.AspNetCore.Http;

namespace Bff.Shared.Routing;

internal sealed class GatewayEndpointFactory(RoutePipeline pipeline, AggregateHandler aggregates)
{
    public Endpoint Create(MatchTarget target) => target switch
    {
        RouteModel route => new Endpoint(context => pipeline.Invoke(context), new EndpointMetadataCollection(route, new RouteDiagnostics(route.Id)), $"Gateway route {route.Id}"),
        AggregateModel aggregate => new Endpoint(aggregates.InvokeAsync, new EndpointMetadataCollection(aggregate, new RouteDiagnostics(aggregate.Id)), $"Gateway aggregate {aggregate.Id}"),
        _ => throw new ArgumentOutOfRangeException(nameof(target)),
    };
}
