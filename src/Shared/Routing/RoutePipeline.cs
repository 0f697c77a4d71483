using Bff.Shared.Forwarding;
using Microsoft.AspNetCore.Http;

namespace Bff.Shared.Routing;

/// <summary>
/// The per-route pipeline (route-level steps, then the forwarder), built once by <c>MapBffGateway</c>. A direct call
/// to a route and an aggregate's part run exactly this delegate: one code path.
/// </summary>
internal sealed class RoutePipeline(GatewayForwarder forwarder)
{
    public RequestDelegate Invoke { get; set; } = forwarder.InvokeAsync;
}
