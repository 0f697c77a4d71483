using Bff.Shared.Forwarding;
using Microsoft.AspNetCore.Http;

namespace Bff.Shared.Routing;

/// <summary>
/// Turns each route into an ASP.NET Core <see cref="Endpoint"/> (YARP's model): the route model travels as endpoint
/// metadata, so framework middlewares (authentication, authorization, rate limiting, output caching) can act on
/// gateway routes through metadata the later features add here.
/// </summary>
internal sealed class GatewayEndpointFactory(GatewayForwarder forwarder)
{
    public Endpoint Create(RouteModel route) =>
        new(forwarder.InvokeAsync, new EndpointMetadataCollection(route), $"Gateway route {route.Id}");
}
