using Bff.Shared.Tests.Compatibility;
using static Bff.Shared.Tests.Compatibility.CompatibilityCaseBuilder;

namespace Bff.Shared.Tests.Security;

/// <summary>
/// The security rows of the Ocelot 25 compatibility table (<see cref="CompatibilityCases"/> runs them):
/// SecurityOptions IP allow/block lists, and input hygiene of placeholder values.
/// </summary>
internal static class SecurityCompatibilityCases
{
    private const string DevHygiene = "Input hygiene: '..' segment or encoded '/' or '\\' in a placeholder value is 400 problem+json, nothing forwarded (Ocelot forwards)";
    private const string DevIpBlocked = "IP blocked: 403 problem+json (Ocelot: 403 with empty body)";

    public static IEnumerable<CompatibilityCase> All() =>
        Security()
            .Concat(Hygiene());

    private static IEnumerable<CompatibilityCase> Security()
    {
        // §5.7, §3b SecurityOptions — blocked → 403; non-empty allow-list without the client IP → 403 (deviation 9: problem+json)
        yield return Forbidden("Security_BlockedExactIp_403", Secured(""" "IPBlockedList": [ "127.0.0.1" ] """));
        yield return Forbidden("Security_BlockedCidr_403", Secured(""" "IPBlockedList": [ "127.0.0.0/8" ] """));
        yield return Forbidden("Security_AllowListWithoutClientIp_403", Secured(""" "IPAllowedList": [ "10.0.0.0/8" ] """));
        yield return Forbidden("Security_SpoofedXForwardedFor_NotTrusted_403", Secured(""" "IPAllowedList": [ "10.0.0.0/8" ] """),
            Rq(("X-Forwarded-For", "10.1.2.3")));
        yield return new("Security_AllowListWithClientIp_200",
            Secured(""" "IPAllowedList": [ "127.0.0.1" ] """), Get("/secure"), Ok("/api/secure"));
        yield return new("Security_BlockListWithoutClientIp_200",
            Secured(""" "IPBlockedList": [ "10.0.0.1" ] """), Get("/secure"), Ok("/api/secure"));
        yield return Forbidden("Security_GlobalBlockList_AppliesToRouteWithoutOwnLists_403",
            ConfigWithGlobal(""" "SecurityOptions": { "IPBlockedList": [ "127.0.0.1" ] } """, Route("/secure", "/api/secure")));
        yield return new("Security_RouteListsReplaceGlobal_200",
            ConfigWithGlobal(""" "SecurityOptions": { "IPBlockedList": [ "127.0.0.1" ] } """,
                Route("/secure", "/api/secure", """ "SecurityOptions": { "IPAllowedList": [ "127.0.0.1" ] } """)),
            Get("/secure"), Ok("/api/secure"));
        yield return new("Security_ExcludeAllowedFromBlocked_True_200",
            Secured(""" "IPAllowedList": [ "127.0.0.1" ], "IPBlockedList": [ "127.0.0.0/24" ], "ExcludeAllowedFromBlocked": true """),
            Get("/secure"), Ok("/api/secure"));
        yield return Forbidden("Security_ExcludeAllowedFromBlocked_False_403",
            Secured(""" "IPAllowedList": [ "127.0.0.1" ], "IPBlockedList": [ "127.0.0.0/24" ], "ExcludeAllowedFromBlocked": false """));
    }

    private static IEnumerable<CompatibilityCase> Hygiene()
    {
        // Deviation 7 (§4.2 lets any value through in Ocelot) — 400 problem+json, nothing forwarded
        var api = Config(Route("/api/{everything}", "/internal/{everything}"));
        yield return Rejected("Hygiene_EncodedDotDotSegment_400", api, "/api/%2e%2e/admin");
        yield return Rejected("Hygiene_EncodedDotDotSegmentUppercase_400", api, "/api/%2E%2E/admin");
        yield return Rejected("Hygiene_MixedDotDotSegment_400", api, "/api/.%2e/admin");
        yield return Rejected("Hygiene_EncodedDotDotLastSegment_400", api, "/api/a/%2e%2e");
        yield return Rejected("Hygiene_RootCatchAll_EncodedDotDot_400",
            Config(Route("/{everything}", "/{everything}")), "/%2e%2e/etc/passwd");
        var files = Config(Route("/files/{name}", "/api/files/{name}"));
        yield return Rejected("Hygiene_EncodedSlashInPlaceholder_400", files, "/files/a%2Fb");
        yield return Rejected("Hygiene_EncodedSlashLowercaseInPlaceholder_400", files, "/files/a%2fb");
        yield return Rejected("Hygiene_EncodedBackslashInPlaceholder_400", files, "/files/a%5Cb");
        yield return Rejected("Hygiene_EncodedSlashInMiddlePlaceholder_400",
            Config(Route("/files/{name}/meta", "/api/files/{name}/meta")), "/files/a%2Fb/meta");
        yield return new("Hygiene_DotsInsideSegment_Allowed", files, Get("/files/a..b"), Ok("/api/files/a..b"));
    }

    private static string Secured(string securityOptions) =>
        Config(Route("/secure", "/api/secure", " \"SecurityOptions\": {" + securityOptions + "} "));

    private static CompatibilityCase Forbidden(string name, string config, Dictionary<string, string>? headers = null) =>
        new(name, config, Get("/secure", headers), new(403, Backend: 0, ProblemJson: true),
            headers is null ? DevIpBlocked : DevIpBlocked + "; " + DevForwarded);

    private static CompatibilityCase Rejected(string name, string config, string rawTarget) =>
        new(name, config, Get(rawTarget), new(400, Backend: 0, ProblemJson: true), DevHygiene);
}
