using Bff.Shared.Admin;
using Bff.Shared.Auth;
using Bff.Shared.Caching;
using Bff.Shared.Forwarding;
using Bff.Shared.Health;
using Bff.Shared.Problems;
using Bff.Shared.RateLimiting;
using Bff.Shared.Routing;
using Bff.Shared.Security;
using Bff.Shared.Sessions;
using Bff.Shared.Tokens;
using Microsoft.Extensions.DependencyInjection;

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
        // 1. Unhandled exceptions become a 500 problem+json (no stack trace, no internal address); Redis unreachable
        //    (a session lookup during a failover with no replica left) a 503 with Retry-After.
        app.UseExceptionHandler();

        // 2. Behind Gateway:KnownProxies/KnownNetworks only: the client address and scheme from their
        //    X-Forwarded-For/-Proto, before anything keys on the caller. Without them, the connection's.
        app.UseTrustedProxies();

        // 2b. TLS termination extras (Tls:HttpsRedirect, Tls:Hsts): plain HTTP is redirected to HTTPS (308; never
        //     /health/*), HTTPS answers carry Strict-Transport-Security. After 2, so a proxy's X-Forwarded-Proto counts.
        app.UseGatewayTls();

        // 3. Input hygiene: ".." path segments and control characters in header values are refused (400) before
        //    anything is matched or forwarded.
        app.UseMiddleware<RequestHygieneMiddleware>();

        // 4. CORS (Cors:* settings): the policy answers preflights and adds its headers to answers; a preflight
        //    it did not answer gets 204 without CORS headers. No preflight reaches a route or a backend.
        app.UseGatewayCors();

        // 5. ASP.NET Core routing: the host's own endpoints (health, /bff/*, admin) win over gateway routes.
        app.UseRouting();

        // 6. Ocelot route finding (schema §4.3) when no own endpoint matched: sets the route's endpoint and the
        //    typed GatewayFeature (route, placeholder values); refuses encoded '/' or '\' in placeholder values.
        app.UseMiddleware<GatewayRoutingMiddleware>();

        // 7. The host's own endpoints (admin API …) authorize here through their metadata (each policy names its
        //    scheme). This file adds no UseAuthentication: gateway routes authenticate in the route pipeline (15),
        //    with the schemes their AuthenticationOptions name, so aggregate parts do too. (WebApplication itself puts
        //    ASP.NET Core's authentication middleware first when authentication is registered; that is what answers
        //    the OpenID Connect callback /bff/signin-oidc before anything here.)
        app.UseAuthorization();

        // 8. Health: /health/live, /health/ready (configuration loaded; rate-limit store on Redis, else Degraded).
        app.MapGatewayHealth();

        // 9. Metrics: the Prometheus scrape endpoint (/metrics; not public in Production unless Observer:PublicMetrics;
        //    Observer:MetricsUrl moves it to the management listener).
        app.MapGatewayObserver();

        // 10. The admin API (/admin/*, API key with the admin scope) when Admin:Enabled is true.
        app.MapAdminApi();

        // 11. The web sign-in endpoints (/bff/login, /bff/user, /bff/logout, /bff/sessions) when sessions are on.
        app.MapSessionEndpoints();

        // 12. The mobile sign-in endpoints (/auth/token, /auth/refresh, /auth/revoke, /.well-known/jwks.json).
        app.MapTokenEndpoints();

        //     Partners' OAuth 2.0 client credentials (POST /oauth/token) when AddClientCredentials is on.
        Microsoft.Extensions.Hosting.ClientCredentialsHostApplicationBuilderExtensions.MapClientCredentialsEndpoints(app);

        // 13. The endpoint runs. A host endpoint runs as usual. A gateway route runs the route pipeline (15). An
        //    aggregate (AggregateHandler) runs the route pipeline once per part, concurrently, on sub-requests that
        //    share the client's body, and merges the answers.
        app.UseEndpoints(static _ => { });

        // 14. The host's single-page frontend (AddBffFrontend; Bff.Web's wwwroot) for GET/HEAD requests nothing above
        //     answered: a file can never shadow a gateway route, /bff/*, /health/* or /metrics. "/" is index.html;
        //     every file carries a strict Content-Security-Policy, nosniff, no-referrer and frame-ancestors 'none'.
        if (FrontendApplicationBuilderExtensions.IsEnabled(app.Services)) app.UseBffFrontend();

        // 15. The route pipeline — one code path for direct calls and aggregate parts:
        //    RouteSecurityMiddleware: request id, IP allow/block lists (403), body limit (413), placeholder safety
        //    (400) — before any identity check, as Ocelot orders it;
        //    RouteAuthorizationMiddleware: AuthenticationOptions (401), claims to claims, AllowedScopes and
        //    RouteClaimsRequirement (403), claims to headers / query / downstream path — Ocelot's order;
        //    RouteRateLimitMiddleware: the route's limits and the partner's plan, one store call (429 + Retry-After);
        //    RouteCacheMiddleware: CacheOptions — a hit is answered here, never reaching the forwarder;
        //    DownstreamTokenMiddleware: DownstreamToken — the provider's user or client token for the backend
        //    (refreshed single-flight; a refused refresh ends the session: 401);
        //    then GatewayForwarder: load balancing and YARP forwarding that streams both bodies; 502/504 become
        //    problem+json.
        var routePipeline = ((IApplicationBuilder)app).New();
        var forwarder = app.Services.GetRequiredService<GatewayForwarder>();
        routePipeline.UseMiddleware<RouteSecurityMiddleware>();
        routePipeline.UseMiddleware<RouteAuthorizationMiddleware>();
        routePipeline.UseMiddleware<RouteRateLimitMiddleware>();
        routePipeline.UseMiddleware<RouteCacheMiddleware>();
        routePipeline.UseMiddleware<Bff.Shared.Oidc.DownstreamTokenMiddleware>();
        routePipeline.Run(forwarder.InvokeAsync);
        app.Services.GetRequiredService<RoutePipeline>().Invoke = routePipeline.Build();

        // 16. Nothing matched: 404 problem+json.
        app.Run(GatewayProblems.NotFound);
        return app;
    }
}
