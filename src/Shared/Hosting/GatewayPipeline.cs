using Bff.Shared.Problems;
using Bff.Shared.Routing;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// The gateway's request pipeline, in order. This is the one file that says what runs before what; features add
/// their step here.
/// </summary>
public static class GatewayPipeline
{
    /// <summary>Builds the pipeline of a BFF host and maps its own endpoints.</summary>
    public static WebApplication MapBffGateway(this WebApplication app)
    {
        // 1. Unhandled exceptions become a 500 problem+json (no stack trace, no internal address).
        app.UseExceptionHandler();

        // 2. Input hygiene: ".." path segments and control characters in header values are refused (400) before
        //    anything is matched or forwarded.
        app.UseMiddleware<RequestHygieneMiddleware>();

        // 3. ASP.NET Core routing: the host's own endpoints (health, /bff/*, admin) win over gateway routes.
        app.UseRouting();

        // 4. Ocelot route finding (schema §4.3) when no own endpoint matched: sets the route's endpoint and the
        //    typed GatewayFeature (route, placeholder values); refuses encoded '/' or '\' in placeholder values.
        app.UseMiddleware<GatewayRoutingMiddleware>();

        // 5. (later features: authentication, authorization, rate limiting, response cache act on endpoint metadata)

        // 6. The endpoint runs: for a gateway route that is GatewayForwarder — IP security (403), body limit (413),
        //    request id, load balancing, then YARP forwards, streaming both bodies; 502/504 become problem+json.
        app.UseEndpoints(static _ => { });

        // 7. Nothing matched: 404 problem+json.
        app.Run(GatewayProblems.NotFound);
        return app;
    }
}
