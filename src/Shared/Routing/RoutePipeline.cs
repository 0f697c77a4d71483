using Bff.Shared.Problems;
using Microsoft.AspNetCore.Http;

namespace Bff.Shared.Routing;

/// <summary>
/// The per-route pipeline (route-level steps, then the forwarder), built once by <c>MapBffGateway</c>. A direct call
/// to a route and an aggregate's part run exactly this delegate: one code path. It fails closed: until
/// <c>MapBffGateway</c> has built it, a route answers 503 instead of reaching the forwarder without the security
/// steps (IP lists, authentication, rate limits).
/// </summary>
internal sealed class RoutePipeline
{
    public RequestDelegate Invoke { get; set; } = NotBuilt;

    private static Task NotBuilt(HttpContext context) =>
        GatewayProblems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Service unavailable",
            "The gateway's route pipeline is not built (MapBffGateway was not called); nothing is forwarded.");
}
