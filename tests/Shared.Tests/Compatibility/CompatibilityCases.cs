using Bff.Shared.Tests.Headers;
using Bff.Shared.Tests.LoadBalancing;
using Bff.Shared.Tests.Security;
using static Bff.Shared.Tests.Compatibility.CompatibilityCaseBuilder;

namespace Bff.Shared.Tests.Compatibility;

/// <summary>
/// The Ocelot 25 compatibility table: one ocelot.json + one request + the expected outcome per row.
/// Expectations follow /work/shared/docs/ocelot-schema.md (cited as §x.y); rows with <c>Deviation</c> set expect
/// our deliberate behaviour instead. Configs use <c>{{PORT}}</c>/<c>{{PORT2}}</c>/<c>{{DEAD}}</c>, which the runner
/// substitutes in configs, request headers and expectations.
/// </summary>
/// <remarks>
/// This class holds the general rows (config reading, downstream URL, proxying, request id, timeouts) and
/// <see cref="All"/> gathers every table: <see cref="RoutingCompatibilityCases"/> here, and the feature tables
/// <see cref="HeadersCompatibilityCases"/>, <see cref="LoadBalancingCompatibilityCases"/> and
/// <see cref="SecurityCompatibilityCases"/> in their folders.
/// </remarks>
internal static class CompatibilityCases
{
    private const string DevTimeout = "Route Timeout elapsed: 504 problem+json (Ocelot: 503 with empty body)";
    private const string DevRepeatedQuery = "Repeated query parameters forwarded intact (Ocelot collapses them when the downstream template has a query)";
    private const string DevHopByHop = "Hop-by-hop request headers are stripped (Ocelot forwards all but Host and Transfer-Encoding)";

    public static IEnumerable<CompatibilityCase> All() =>
        ConfigReading()
            .Concat(RoutingCompatibilityCases.All())
            .Concat(DownstreamUrl())
            .Concat(Proxying())
            .Concat(HeadersCompatibilityCases.All())
            .Concat(RequestId())
            .Concat(LoadBalancingCompatibilityCases.All())
            .Concat(Timeouts())
            .Concat(SecurityCompatibilityCases.All());

    private static IEnumerable<CompatibilityCase> ConfigReading()
    {
        // §0 — Microsoft.Extensions.Configuration binding: case-insensitive names, unknown properties ignored,
        // JSON-provider comments/trailing commas, string values converted by the binder.
        yield return new("Config_PropertyNames_AreCaseInsensitive",
            """
            { "routes": [ { "upstreampathtemplate": "/lower/{id}", "downstreampathtemplate": "/api/lower/{id}",
                            "downstreamscheme": "http", "downstreamhostandports": [ { "host": "127.0.0.1", "port": {{PORT}} } ] } ] }
            """,
            Get("/lower/5"), Ok("/api/lower/5"));
        yield return new("Config_UnknownProperties_AreIgnored",
            Config(Route("/unknown-props", "/api/unknown-props", """ "SwaggerKey": "legacy", "SomethingNew": { "Nested": [ 1, 2 ] } """)),
            Get("/unknown-props"), Ok("/api/unknown-props"));
        yield return new("Config_CommentsAndTrailingCommas_AreAllowed",
            """
            {
              // line comment
              "Routes": [
                {
                  "UpstreamPathTemplate": "/commented", /* block comment */
                  "DownstreamPathTemplate": "/api/commented",
                  "DownstreamScheme": "http",
                  "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{PORT}} }, ],
                },
              ],
            }
            """,
            Get("/commented"), Ok("/api/commented"));
        yield return new("Config_NumberWrittenAsString_IsConverted",
            Config(Route("/typed/{id}", "/api/typed/{id}"), Route("/typed/special", "/api/typed-special", """ "Priority": "2" """, B2)),
            Get("/typed/special"), Ok("/api/typed-special", 2));
    }

    private static IEnumerable<CompatibilityCase> DownstreamUrl()
    {
        // §4.5 — template without '?': upstream query forwarded minus placeholder-named params (case-insensitive)
        var users = Config(Route("/users/{id}", "/api/users/{id}"));
        yield return new("Query_ForwardedUnchanged_WhenTemplateHasNoQuery", users, Get("/users/42?x=1&y=2"), Ok("/api/users/42?x=1&y=2"));
        yield return new("Query_PlaceholderNamedParam_Dropped", users, Get("/users/42?x=1&id=9&y=2"), Ok("/api/users/42?x=1&y=2"));
        yield return new("Query_PlaceholderNamedParam_DroppedCaseInsensitively", users, Get("/users/42?ID=9&x=1"), Ok("/api/users/42?x=1"));
        yield return new("Query_RepeatedParams_Forwarded_WhenTemplateHasNoQuery", users, Get("/users/42?a=1&a=2"), Ok("/api/users/42?a=1&a=2"));

        // §4.5 — template with '?': its params first, then remaining upstream params (minus placeholder-named ones)
        var items = Config(Route("/orders/{id}/items", "/api/orders/items?orderId={id}"));
        yield return new("Query_DownstreamTemplateQuery_ComesFirst", items, Get("/orders/7/items?x=1"), Ok("/api/orders/items?orderId=7&x=1"));
        yield return new("Query_DownstreamTemplateQuery_WithoutUpstreamQuery", items, Get("/orders/7/items"), Ok("/api/orders/items?orderId=7"));
        yield return new("Query_DownstreamTemplateQuery_PlaceholderNamedParamDropped", items, Get("/orders/7/items?id=3&x=1"), Ok("/api/orders/items?orderId=7&x=1"));
        yield return new("Query_DownstreamTemplateQuery_RepeatedParamsKeptIntact", items,
            Get("/orders/7/items?a=1&a=2"), Ok("/api/orders/items?orderId=7&a=1&a=2"), DevRepeatedQuery);

        // §4.5 — unknown placeholder stays literal (arrives percent-encoded)
        yield return new("Downstream_UnknownPlaceholder_StaysLiteral",
            Config(Route("/ghost/{id}", "/api/{id}/{missing}")), Get("/ghost/1"), Ok("/api/1/%7Bmissing%7D"));

        // §2 DownstreamScheme — null → upstream request scheme; global DownstreamScheme NOT applied to static routes
        yield return new("DownstreamScheme_Omitted_UsesUpstreamScheme_GlobalSchemeIgnored",
            """
            { "Routes": [ { "UpstreamPathTemplate": "/no-scheme", "DownstreamPathTemplate": "/api/no-scheme",
                            "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{PORT}} } ] } ],
              "GlobalConfiguration": { "DownstreamScheme": "https" } }
            """,
            Get("/no-scheme"), Ok("/api/no-scheme"));
    }

    private static IEnumerable<CompatibilityCase> Proxying()
    {
        // §6.5 — all request headers forwarded except Host (→ downstream host:port) and Transfer-Encoding
        var plain = Config(Route("/plain", "/api/plain"));
        yield return new("HostHeader_ReplacedByDownstreamHostAndPort", plain,
            Get("/plain", host: "api.example.com"), Ok("/api/plain", down: H(("Host", "127.0.0.1:{{PORT}}"))));
        yield return new("RequestHeaders_CustomHeaderForwarded", plain,
            Get("/plain", Rq(("X-Custom", "hello"), ("Accept-Language", "de-CH"))),
            Ok("/api/plain", down: H(("X-Custom", "hello"), ("Accept-Language", "de-CH"))));
        // (the runner always sends "Connection: close" itself)
        yield return new("HopByHop_ConnectionAndKeepAlive_NotForwarded", plain,
            Get("/plain", Rq(("Keep-Alive", "timeout=5"), ("X-Normal", "yes"))),
            Ok("/api/plain", down: H(("Connection", null), ("Keep-Alive", null), ("X-Normal", "yes"))), DevHopByHop);
        yield return new("HopByHop_ProxyConnectionTeUpgrade_NotForwarded", plain,
            Get("/plain", Rq(("Proxy-Connection", "keep-alive"), ("TE", "gzip"), ("Upgrade", "example/1"), ("X-Normal", "yes"))),
            Ok("/api/plain", down: H(("Proxy-Connection", null), ("TE", null), ("Upgrade", null), ("X-Normal", "yes"))), DevHopByHop);

        // §7 last row, §6.5 — downstream status and response headers passed through unchanged
        var status = Config(Route("/status", "/api/status"));
        yield return new("DownstreamStatus_404_PassedThroughWithHeaders", status,
            Get("/status", Rq(("X-Echo-Status", "404"), ("X-Echo-Response-X-Backend-Marker", "kept"))),
            new(404, "GET", "/api/status", ResponseHeaders: H(("X-Backend-Marker", "kept")), Backend: 1));
        yield return new("DownstreamStatus_500_PassedThroughWithHeaders", status,
            Get("/status", Rq(("X-Echo-Status", "500"), ("X-Echo-Response-X-Backend-Marker", "kept"))),
            new(500, "GET", "/api/status", ResponseHeaders: H(("X-Backend-Marker", "kept")), Backend: 1));
        yield return new("DownstreamStatus_503_NotMistakenForGatewayError", status,
            Get("/status", Rq(("X-Echo-Status", "503"), ("X-Echo-Response-X-Backend-Marker", "kept"))),
            new(503, "GET", "/api/status", ResponseHeaders: H(("X-Backend-Marker", "kept")), Backend: 1));
        yield return new("DownstreamSetCookie_PassedThrough", status,
            Get("/status", Rq(("X-Echo-Response-Set-Cookie", "sid=abc123; path=/; httponly"))),
            Ok("/api/status", resp: H(("Set-Cookie", "sid=abc123; path=/; httponly"))));
    }

    private static IEnumerable<CompatibilityCase> RequestId()
    {
        // §6.9 (VERIFIED), Further observations — inbound request id forwarded under RequestIdKey, not added to the response;
        // a route key replaces the global one
        yield return new("RequestIdKey_Route_InboundValueForwarded_NotInResponse",
            Config(Route("/rid", "/api/rid", """ "RequestIdKey": "X-Request-Id" """)),
            Get("/rid", Rq(("X-Request-Id", "req-123"))),
            Ok("/api/rid", down: H(("X-Request-Id", "req-123")), resp: H(("X-Request-Id", null))));
        yield return new("RequestIdKey_Global_InboundValueForwarded",
            ConfigWithGlobal(""" "RequestIdKey": "X-Correlation-Id" """, Route("/rid-global", "/api/rid-global")),
            Get("/rid-global", Rq(("X-Correlation-Id", "corr-456"))),
            Ok("/api/rid-global", down: H(("X-Correlation-Id", "corr-456"))));
        yield return new("RequestIdKey_RouteKeyReplacesGlobalKey",
            ConfigWithGlobal(""" "RequestIdKey": "X-Correlation-Id" """,
                Route("/rid-both", "/api/rid-both", """ "RequestIdKey": "X-Request-Id" """)),
            Get("/rid-both", Rq(("X-Request-Id", "req-789"))),
            Ok("/api/rid-both", down: H(("X-Request-Id", "req-789"), ("X-Correlation-Id", null))));
    }

    private static IEnumerable<CompatibilityCase> Timeouts()
    {
        // §2 Timeout (seconds; null → global → 90; ≤0 → 90), §7 — elapsed: 503 in Ocelot, 504 for us (deviation 2)
        yield return new("Timeout_RouteTimeoutElapsed_504",
            Config(Route("/slow", "/api/slow", """ "Timeout": 1 """)),
            Get("/slow", Rq(("X-Echo-Delay", "3000"))), new(504, ProblemJson: true), DevTimeout);
        yield return new("Timeout_GlobalTimeoutElapsed_504",
            ConfigWithGlobal(""" "Timeout": 1 """, Route("/slow-global", "/api/slow-global")),
            Get("/slow-global", Rq(("X-Echo-Delay", "3000"))), new(504, ProblemJson: true), DevTimeout);
        yield return new("Timeout_RouteTimeoutNotElapsed_200",
            Config(Route("/slow-ok", "/api/slow-ok", """ "Timeout": 5 """)),
            Get("/slow-ok", Rq(("X-Echo-Delay", "200"))), Ok("/api/slow-ok"));
        yield return new("Timeout_RouteTimeoutOverridesGlobal_200",
            ConfigWithGlobal(""" "Timeout": 1 """, Route("/slow-override", "/api/slow-override", """ "Timeout": 5 """)),
            Get("/slow-override", Rq(("X-Echo-Delay", "2000"))), Ok("/api/slow-override"));
        yield return new("Timeout_ZeroMeansDefault_200",
            Config(Route("/slow-zero", "/api/slow-zero", """ "Timeout": 0 """)),
            Get("/slow-zero", Rq(("X-Echo-Delay", "1500"))), Ok("/api/slow-zero"));
    }
}
