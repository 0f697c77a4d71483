using Bff.Shared.Tests.Compatibility;
using static Bff.Shared.Tests.Compatibility.CompatibilityCaseBuilder;

namespace Bff.Shared.Tests.Headers;

/// <summary>
/// The header rows of the Ocelot 25 compatibility table (<see cref="CompatibilityCases"/> runs them):
/// UpstreamHeaderTransform / DownstreamHeaderTransform and the X-Forwarded-* headers the gateway sets.
/// </summary>
internal static class HeadersCompatibilityCases
{
    public static IEnumerable<CompatibilityCase> All() =>
        HeaderTransforms()
            .Concat(ForwardedHeaders());

    private static IEnumerable<CompatibilityCase> HeaderTransforms()
    {
        // §6.4 — UpstreamHeaderTransform: value without comma = add/overwrite; with comma = find/replace on an existing header
        var add = Config(Route("/uht", "/api/uht", """ "UpstreamHeaderTransform": { "X-Added": "route-value" } """));
        yield return new("UpstreamHeaderTransform_AddsHeader", add, Get("/uht"), Ok("/api/uht", down: H(("X-Added", "route-value"))));
        yield return new("UpstreamHeaderTransform_OverwritesClientValue", add,
            Get("/uht", Rq(("X-Added", "client-value"))), Ok("/api/uht", down: H(("X-Added", "route-value"))));
        var replace = Config(Route("/uht-replace", "/api/uht-replace", """ "UpstreamHeaderTransform": { "X-Foo": "bar, baz" } """));
        yield return new("UpstreamHeaderTransform_FindReplace", replace,
            Get("/uht-replace", Rq(("X-Foo", "bar"))), Ok("/api/uht-replace", down: H(("X-Foo", "baz"))));
        yield return new("UpstreamHeaderTransform_FindReplace_NoMatch_Unchanged", replace,
            Get("/uht-replace", Rq(("X-Foo", "qux"))), Ok("/api/uht-replace", down: H(("X-Foo", "qux"))));
        yield return new("UpstreamHeaderTransform_FindReplace_HeaderAbsent_NotAdded", replace,
            Get("/uht-replace"), Ok("/api/uht-replace", down: H(("X-Foo", null))));

        // §6.4 — placeholders {RemoteIpAddress}, {UpstreamHost}, {BaseUrl}; unresolvable → skipped
        yield return new("UpstreamHeaderTransform_RemoteIpAddress",
            Config(Route("/uht-ip", "/api/uht-ip", """ "UpstreamHeaderTransform": { "X-Client-Ip": "{RemoteIpAddress}" } """)),
            Get("/uht-ip"), Ok("/api/uht-ip", down: H(("X-Client-Ip", "127.0.0.1"))));
        yield return new("UpstreamHeaderTransform_UpstreamHost",
            Config(Route("/uht-host", "/api/uht-host", """ "UpstreamHeaderTransform": { "X-Original-Host": "{UpstreamHost}" } """)),
            Get("/uht-host", host: "api.example.com"), Ok("/api/uht-host", down: H(("X-Original-Host", "api.example.com"))));
        yield return new("UpstreamHeaderTransform_BaseUrl_FromGlobalConfiguration",
            ConfigWithGlobal(""" "BaseUrl": "http://gateway.example/" """,
                Route("/uht-base", "/api/uht-base", """ "UpstreamHeaderTransform": { "X-Gateway-Base": "{BaseUrl}" } """)),
            Get("/uht-base"), Ok("/api/uht-base", down: H(("X-Gateway-Base", "http://gateway.example/"))));
        yield return new("UpstreamHeaderTransform_UnresolvablePlaceholder_Skipped",
            Config(Route("/uht-unknown", "/api/uht-unknown", """ "UpstreamHeaderTransform": { "X-Unknown": "{BffsCompatibilityNoSuchKey}" } """)),
            Get("/uht-unknown"), Ok("/api/uht-unknown", down: H(("X-Unknown", null))));

        // §3b, §6.4 — global transforms merged in, route entry wins for the same header
        yield return new("UpstreamHeaderTransform_GlobalMerged_RouteWins",
            ConfigWithGlobal(""" "UpstreamHeaderTransform": { "X-Global": "global", "X-Shared": "global" } """,
                Route("/uht-merge", "/api/uht-merge", """ "UpstreamHeaderTransform": { "X-Shared": "route" } """)),
            Get("/uht-merge"), Ok("/api/uht-merge", down: H(("X-Global", "global"), ("X-Shared", "route"))));

        // §6.4 — DownstreamHeaderTransform acts on the response
        var respAdd = Config(Route("/dht", "/api/dht", """ "DownstreamHeaderTransform": { "X-Gateway": "bffs" } """));
        yield return new("DownstreamHeaderTransform_AddsResponseHeader", respAdd,
            Get("/dht"), Ok("/api/dht", resp: H(("X-Gateway", "bffs"))));
        yield return new("DownstreamHeaderTransform_OverwritesBackendHeader", respAdd,
            Get("/dht", Rq(("X-Echo-Response-X-Gateway", "backend"))), Ok("/api/dht", resp: H(("X-Gateway", "bffs"))));
        var literal = Config(Route("/dht-literal", "/api/dht-literal", """ "DownstreamHeaderTransform": { "X-Backend": "internal, public" } """));
        yield return new("DownstreamHeaderTransform_FindReplace", literal,
            Get("/dht-literal", Rq(("X-Echo-Response-X-Backend", "internal"))), Ok("/api/dht-literal", resp: H(("X-Backend", "public"))));
        yield return new("DownstreamHeaderTransform_FindReplace_HeaderAbsent_NotAdded", literal,
            Get("/dht-literal"), Ok("/api/dht-literal", resp: H(("X-Backend", null))));

        // §6.4 (VERIFIED) — Location rewrite {DownstreamBaseUrl} → {BaseUrl} (trailing '/' ensured)
        var location = ConfigWithGlobal(""" "BaseUrl": "http://gateway.example" """,
            Route("/redirect", "/api/redirect", """ "DownstreamHeaderTransform": { "Location": "{DownstreamBaseUrl}, {BaseUrl}" } """));
        yield return new("DownstreamHeaderTransform_LocationRewrite_DownstreamBaseUrlToBaseUrl", location,
            Get("/redirect", Rq(("X-Echo-Response-Location", "http://127.0.0.1:{{PORT}}/target"))),
            Ok("/api/redirect", resp: H(("Location", "http://gateway.example/target"))));
        yield return new("DownstreamHeaderTransform_LocationRewrite_ForeignLocationUnchanged", location,
            Get("/redirect", Rq(("X-Echo-Response-Location", "http://other.example/target"))),
            Ok("/api/redirect", resp: H(("Location", "http://other.example/target"))));

        yield return new("DownstreamHeaderTransform_GlobalMerged_RouteWins",
            ConfigWithGlobal(""" "DownstreamHeaderTransform": { "X-Global-Resp": "global", "X-Shared-Resp": "global" } """,
                Route("/dht-merge", "/api/dht-merge", """ "DownstreamHeaderTransform": { "X-Shared-Resp": "route" } """)),
            Get("/dht-merge"), Ok("/api/dht-merge", resp: H(("X-Global-Resp", "global"), ("X-Shared-Resp", "route"))));
    }

    private static IEnumerable<CompatibilityCase> ForwardedHeaders()
    {
        var plain = Config(Route("/plain", "/api/plain"));
        // §6.5 "No X-Forwarded-* added by default" — deviation 6
        yield return new("XForwardedFor_InboundValueReplaced", plain,
            Get("/plain", Rq(("X-Forwarded-For", "6.6.6.6"))), Ok("/api/plain", down: H(("X-Forwarded-For", "127.0.0.1"))), DevForwarded);
        yield return new("XForwardedProtoAndHost_InboundValuesReplaced", plain,
            Get("/plain", Rq(("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "evil.example")), "api.example.com"),
            Ok("/api/plain", down: H(("X-Forwarded-Proto", "http"), ("X-Forwarded-Host", null))), DevForwarded);
        // X-Forwarded-Host is the configured public host, never the Host a client chose (#17)
        yield return new("XForwardedHost_IsTheConfiguredBaseUrl",
            ConfigWithGlobal(""" "BaseUrl": "https://api.example.com" """, Route("/plain", "/api/plain")),
            Get("/plain", Rq(("X-Forwarded-Host", "evil.example")), "evil.example"),
            Ok("/api/plain", down: H(("X-Forwarded-Host", "api.example.com"))), DevForwarded);
    }
}
