using static Bff.Shared.Tests.Compatibility.CompatibilityCaseBuilder;

namespace Bff.Shared.Tests.Compatibility;

/// <summary>
/// The routing rows of the Ocelot 25 compatibility table (<see cref="CompatibilityCases"/> runs them): upstream
/// templates, placeholders, catch-alls, query templates, case sensitivity, methods, upstream hosts, header templates,
/// priority and trailing slashes.
/// </summary>
internal static class RoutingCompatibilityCases
{
    private const string DevLiteralDot = "'.' in an upstream template is a literal dot (Ocelot: regex wildcard); no route: 404 problem+json";
    private const string DevEmptyPlaceholder = "A placeholder needs a non-empty value ('/users/{id}' does not match '/users/'; only a final {everything} may be empty): 404 problem+json (Ocelot matches with an empty value; Gateway:OcelotEmptyPlaceholders=true restores it)";

    public static IEnumerable<CompatibilityCase> All() =>
        Placeholders()
            .Concat(CatchAll())
            .Concat(QueryTemplates())
            .Concat(CaseSensitivity())
            .Concat(Methods())
            .Concat(UpstreamHosts())
            .Concat(HeaderTemplates())
            .Concat(Priority())
            .Concat(TrailingSlash());

    private static IEnumerable<CompatibilityCase> Placeholders()
    {
        // §4.1 step 3, §4.2 — last-segment placeholder is greedy (.*), empty value allowed
        var users = Config(Route("/users/{id}", "/api/users/{id}"));
        yield return new("Placeholder_LastSegment_Matches", users, Get("/users/42"), Ok("/api/users/42"));
        yield return new("Placeholder_LastSegment_IsGreedy", users, Get("/users/42/extra"), Ok("/api/users/42/extra"));
        yield return new("Placeholder_LastSegment_GreedyValueKeepsQuery", users, Get("/users/42/extra?x=1"), Ok("/api/users/42/extra?x=1"));
        yield return NotFound("Placeholder_LastSegment_EmptyValue_NotFound", users, Get("/users/"), DevEmptyPlaceholder);
        yield return NotFound("Placeholder_LastSegment_Absent_NotFound", users, Get("/users"), DevEmptyPlaceholder);
        var everything = Config(Route("/files/{everything}", "/api/files/{everything}"));
        yield return new("Placeholder_CatchAllEverything_EmptyValue_Allowed", everything, Get("/files/"), Ok("/api/files/"));
        yield return NotFound("Placeholder_LiteralPrefixMismatch_NotFound", users, Get("/customers/42"));

        // §4.1 step 3 — a placeholder followed by '/' is [^/]+ (one non-empty segment)
        var orders = Config(Route("/users/{id}/orders", "/api/users/{id}/orders"));
        yield return new("Placeholder_MiddleSegment_Matches", orders, Get("/users/42/orders"), Ok("/api/users/42/orders"));
        yield return NotFound("Placeholder_MiddleSegment_DoesNotSpanSlashes_NotFound", orders, Get("/users/42/43/orders"));
        yield return NotFound("Placeholder_MiddleSegment_EmptyValue_NotFound", orders, Get("/users//orders"));
        yield return NotFound("Placeholder_MiddleSegment_TrailingLiteralMissing_NotFound", orders, Get("/users/42"));

        // §4.5 — plain string replace of every {name} occurrence
        yield return new("Placeholder_Reordered_InDownstream",
            Config(Route("/swap/{a}/{b}", "/api/{b}/{a}")), Get("/swap/1/2"), Ok("/api/2/1"));

        // §4.2 — embedded placeholders (since 23.4)
        var embedded = Config(Route("/api/invoices_{a}/{b}-{c}_x/{d}", "/inv/{a}/{b}/{c}/{d}"));
        yield return new("Placeholder_Embedded_Matches", embedded, Get("/api/invoices_1/2-3_x/4"), Ok("/inv/1/2/3/4"));
        yield return NotFound("Placeholder_Embedded_MissingSeparator_NotFound", embedded, Get("/api/invoices_1/23_x/4"));
        yield return NotFound("Placeholder_Embedded_LiteralPrefixMismatch_NotFound", embedded, Get("/api/bills_1/2-3_x/4"));
        yield return new("Placeholder_EmbeddedWithSuffix_InLastSegment",
            Config(Route("/files/{name}.json", "/api/files/{name}")), Get("/files/report.json"), Ok("/api/files/report"));
    }

    private static IEnumerable<CompatibilityCase> CatchAll()
    {
        // §4.1 step 1 — "/{x}" is ^/.* with priority forced to 0; matches "/"
        var root = Config(Route("/{everything}", "/{everything}"));
        yield return new("RootCatchAll_MatchesSlash", root, Get("/"), Ok("/"));
        yield return new("RootCatchAll_MatchesDeepPathAndQuery", root, Get("/a/b/c?x=1"), Ok("/a/b/c?x=1"));
        yield return new("RootCatchAll_WithDownstreamPrefix_MatchesSlash",
            Config(Route("/{everything}", "/api/{everything}")), Get("/"), Ok("/api/"));
        var rootFirst = Config(Route("/{everything}", "/{everything}"), Route("/special", "/api/special", hosts: B2));
        yield return new("RootCatchAll_PriorityForcedToZero_LosesToLaterRoute", rootFirst, Get("/special"), Ok("/api/special", 2));
        yield return new("RootCatchAll_PriorityForcedToZero_StillServesOtherPaths", rootFirst, Get("/other"), Ok("/other"));
        yield return new("RootCatchAll_ExplicitPriorityIgnored_LosesToLaterRoute",
            Config(Route("/{everything}", "/{everything}", """ "Priority": 10 """), Route("/special", "/api/special", hosts: B2)),
            Get("/special"), Ok("/api/special", 2));

        // §4.1 step 6 (VERIFIED) + §4.5 trailing-slash trim — "/x/{everything}" matches /x, /x/, /x/a/b
        var prefix = Config(Route("/x/{everything}", "/api/{everything}"));
        yield return new("PrefixCatchAll_MatchesBarePrefix", prefix, Get("/x"), Ok("/api"));
        yield return new("PrefixCatchAll_MatchesPrefixWithSlash", prefix, Get("/x/"), Ok("/api/"));
        yield return new("PrefixCatchAll_MatchesDeepPath", prefix, Get("/x/a/b"), Ok("/api/a/b"));
        yield return NotFound("PrefixCatchAll_LongerLiteral_NotFound", prefix, Get("/xy"));
    }

    private static IEnumerable<CompatibilityCase> QueryTemplates()
    {
        // §4.1 step 2-3, §4.2 — "?" in an upstream template: matched against path + query
        var lookup = Config(Route("/lookup?id={id}", "/api/lookup/{id}"));
        yield return new("QueryTemplate_Matches", lookup, Get("/lookup?id=5"), Ok("/api/lookup/5"));
        yield return new("QueryTemplate_OtherParamsForwarded_PlaceholderParamDropped", lookup, Get("/lookup?id=5&y=1"), Ok("/api/lookup/5?y=1"));
        yield return NotFound("QueryTemplate_ParamMissing_NotFound", lookup, Get("/lookup?y=1"));
        yield return NotFound("QueryTemplate_ParamNotFirst_NotFound", lookup, Get("/lookup?y=1&id=5"));
        yield return NotFound("QueryTemplate_NoQuery_NotFound", lookup, Get("/lookup"));
        yield return new("QueryTemplate_TwoParams",
            Config(Route("/pair?a={a}&b={b}", "/api/pair/{a}/{b}")), Get("/pair?a=1&b=2"), Ok("/api/pair/1/2"));

        // §4.2 — "?{query}" catch-all: empty value, upstream query simply forwarded
        var search = Config(Route("/search?{query}", "/api/search"));
        yield return new("QueryCatchAll_ForwardsQuery", search, Get("/search?q=abc&page=2"), Ok("/api/search?q=abc&page=2"));
        yield return new("QueryCatchAll_NoQuery_Matches", search, Get("/search"), Ok("/api/search"));
    }

    private static IEnumerable<CompatibilityCase> CaseSensitivity()
    {
        // §4.1 step 6, §2 RouteIsCaseSensitive — (?i) unless RouteIsCaseSensitive
        yield return new("CaseInsensitive_ByDefault_ValueCasePreserved",
            Config(Route("/Products/{id}", "/api/products/{id}")), Get("/PRODUCTS/AbC"), Ok("/api/products/AbC"));
        var sensitive = Config(Route("/Products/{id}", "/api/products/{id}", """ "RouteIsCaseSensitive": true """));
        yield return NotFound("CaseSensitive_WrongCase_NotFound", sensitive, Get("/products/1"));
        yield return new("CaseSensitive_ExactCase_Matches", sensitive, Get("/Products/1"), Ok("/api/products/1"));
    }

    private static IEnumerable<CompatibilityCase> Methods()
    {
        // §2 UpstreamHttpMethod, §4.3 step 1 — empty = all methods, case-insensitive
        var any = Config(Route("/any", "/api/any"));
        yield return new("Method_EmptyList_AllowsDelete", any, Send("DELETE", "/any"), Ok("/api/any", method: "DELETE"));
        var getOnly = Config(Route("/get-only", "/api/get-only", """ "UpstreamHttpMethod": [ "get" ] """));
        yield return new("Method_ListIsCaseInsensitive", getOnly, Get("/get-only"), Ok("/api/get-only"));
        yield return NotFound("Method_NotInList_NotFound", getOnly, Send("POST", "/get-only"));
        var split = Config(
            Route("/split", "/api/split-get", """ "UpstreamHttpMethod": [ "Get" ] """),
            Route("/split", "/api/split-post", """ "UpstreamHttpMethod": [ "Post" ] """, B2));
        yield return new("Method_SameTemplate_GetRoute", split, Get("/split"), Ok("/api/split-get"));
        yield return new("Method_SameTemplate_PostRoute", split, Send("POST", "/split"), Ok("/api/split-post", 2, "POST"));
        yield return new("Method_CustomMethodInList_Matches",
            Config(Route("/purge", "/api/purge", """ "UpstreamHttpMethod": [ "purge" ] """)),
            Send("PURGE", "/purge"), Ok("/api/purge", method: "PURGE"));

        // §2 DownstreamHttpMethod (VERIFIED POST→PUT), §6.5 — method and body pass through otherwise
        yield return new("DownstreamHttpMethod_PostForwardedAsPut",
            Config(Route("/convert", "/api/convert", """ "UpstreamHttpMethod": [ "Post" ], "DownstreamHttpMethod": "PUT" """)),
            Send("POST", "/convert", "hello"), Ok("/api/convert", method: "PUT", down: H(("Content-Length", "5"))));
        yield return new("Method_Patch_WithBody_PassesThrough", any,
            Send("PATCH", "/any", """{"a":1}"""), Ok("/api/any", method: "PATCH", down: H(("Content-Length", "7"))));
        yield return new("Method_Custom_PassesThrough", any, Send("PURGE", "/any"), Ok("/api/any", method: "PURGE"));
        yield return new("Body_Post_ForwardedWithContentLength_NoTransferEncoding", any,
            Send("POST", "/any", "hello world"),
            Ok("/api/any", method: "POST", down: H(("Content-Length", "11"), ("Transfer-Encoding", null))));
    }

    private static IEnumerable<CompatibilityCase> UpstreamHosts()
    {
        // §2 UpstreamHost, §4.3 step 1 — exact (case-sensitive) compare with Host minus port
        var hosted = Config(Route("/hosted", "/api/hosted", """ "UpstreamHost": "api.example.com" """));
        yield return new("UpstreamHost_ExactMatch", hosted, Get("/hosted", host: "api.example.com"), Ok("/api/hosted"));
        yield return new("UpstreamHost_PortStripped", hosted, Get("/hosted", host: "api.example.com:8080"), Ok("/api/hosted"));
        yield return NotFound("UpstreamHost_OtherHost_NotFound", hosted, Get("/hosted", host: "other.example.com"));
        yield return NotFound("UpstreamHost_ComparedCaseSensitively_NotFound", hosted, Get("/hosted", host: "API.EXAMPLE.COM"));

        // §4.3 step 4 — among all matches, the first one with UpstreamHost wins over host-less ones
        var pair = Config(
            Route("/shared", "/api/shared-any"),
            Route("/shared", "/api/shared-host", """ "UpstreamHost": "api.example.com" """, B2));
        yield return new("UpstreamHost_HostRouteWinsEvenIfListedLater", pair, Get("/shared", host: "api.example.com"), Ok("/api/shared-host", 2));
        yield return new("UpstreamHost_OtherHost_UsesHostlessRoute", pair, Get("/shared", host: "other.example.com"), Ok("/api/shared-any"));
        yield return new("UpstreamHost_HostRouteWinsOverHigherPriorityHostlessRoute",
            Config(
                Route("/prio-host", "/api/hostless", """ "Priority": 5 """),
                Route("/prio-host", "/api/host", """ "UpstreamHost": "api.example.com", "Priority": 0 """, B2)),
            Get("/prio-host", host: "api.example.com"), Ok("/api/host", 2));
    }

    private static IEnumerable<CompatibilityCase> HeaderTemplates()
    {
        // §2 UpstreamHeaderTemplates, §4.3 step 3 — all listed headers present and matching ^value$ (case-insensitive by default)
        var versioned = Config(
            Route("/items", "/api/v2/items", """ "UpstreamHeaderTemplates": { "X-Version": "v2" } """, B2),
            Route("/items", "/api/items"));
        yield return new("HeaderTemplate_LiteralValue_Matches", versioned, Get("/items", Rq(("X-Version", "v2"))), Ok("/api/v2/items", 2));
        yield return new("HeaderTemplate_LiteralValue_CaseInsensitiveByDefault", versioned, Get("/items", Rq(("X-Version", "V2"))), Ok("/api/v2/items", 2));
        yield return new("HeaderTemplate_LiteralValue_Mismatch_FallsThrough", versioned, Get("/items", Rq(("X-Version", "v3"))), Ok("/api/items"));
        yield return new("HeaderTemplate_LiteralValue_IsAnchored_FallsThrough", versioned, Get("/items", Rq(("X-Version", "v22"))), Ok("/api/items"));
        yield return new("HeaderTemplate_Missing_FallsThrough", versioned, Get("/items"), Ok("/api/items"));
        yield return NotFound("HeaderTemplate_CaseSensitiveRoute_WrongCase_NotFound",
            Config(Route("/cs-items", "/api/cs-items", """ "RouteIsCaseSensitive": true, "UpstreamHeaderTemplates": { "X-Version": "v2" } """)),
            Get("/cs-items", Rq(("X-Version", "V2"))));

        // §4.2 / §2 — {header:name} captures into {name}; blank value does not match (Further observations)
        var tenant = Config(
            Route("/orgs/{id}", "/api/{tenant}/orgs/{id}", """ "UpstreamHeaderTemplates": { "X-Tenant": "{header:tenant}" } """, B2),
            Route("/orgs/{id}", "/api/orgs/{id}"));
        yield return new("HeaderTemplate_Capture_UsedInDownstreamPath", tenant, Get("/orgs/7", Rq(("X-Tenant", "acme"))), Ok("/api/acme/orgs/7", 2));
        yield return new("HeaderTemplate_Capture_HeaderMissing_FallsThrough", tenant, Get("/orgs/7"), Ok("/api/orgs/7"));
        yield return new("HeaderTemplate_Capture_BlankValue_FallsThrough", tenant, Get("/orgs/7", Rq(("X-Tenant", ""))), Ok("/api/orgs/7"));
        yield return NotFound("HeaderTemplate_Capture_HeaderMissing_NoOtherRoute_NotFound",
            Config(Route("/tenant-only", "/api/{tenant}/data", """ "UpstreamHeaderTemplates": { "X-Tenant": "{header:tenant}" } """)),
            Get("/tenant-only"));

        var both = Config(
            Route("/both", "/api/both-headers", """ "UpstreamHeaderTemplates": { "X-A": "1", "X-B": "2" } """, B2),
            Route("/both", "/api/both-any"));
        yield return new("HeaderTemplate_AllHeadersPresent_Matches", both, Get("/both", Rq(("X-A", "1"), ("X-B", "2"))), Ok("/api/both-headers", 2));
        yield return new("HeaderTemplate_OneOfTwoHeadersMissing_FallsThrough", both, Get("/both", Rq(("X-A", "1"))), Ok("/api/both-any"));

        // §4.3 steps 2-4 — first match in config order among equal priority: a header route listed after a generic one never wins
        yield return new("HeaderTemplate_RouteListedAfterGenericRoute_IsShadowed",
            Config(
                Route("/shadowed", "/api/shadowed-any"),
                Route("/shadowed", "/api/shadowed-v2", """ "UpstreamHeaderTemplates": { "X-Version": "v2" } """, B2)),
            Get("/shadowed", Rq(("X-Version", "v2"))), Ok("/api/shadowed-any"));
    }

    private static IEnumerable<CompatibilityCase> Priority()
    {
        // §2 Priority, §4.3 step 2 — higher wins; ties keep config order; first match, not best match (issue #2092)
        var prio = Config(
            Route("/products/{id}", "/api/products/{id}"),
            Route("/products/special", "/api/special-products", """ "Priority": 2 """, B2));
        yield return new("Priority_HigherWins_EvenIfListedLater", prio, Get("/products/special"), Ok("/api/special-products", 2));
        yield return new("Priority_LowerPriorityRoute_ServesOtherPaths", prio, Get("/products/7"), Ok("/api/products/7"));
        yield return new("Priority_Equal_FirstListedWins_NotBestMatch",
            Config(Route("/products/{id}", "/api/products/{id}"), Route("/products/special", "/api/special-products", hosts: B2)),
            Get("/products/special"), Ok("/api/products/special"));
        yield return new("Priority_Equal_Issue2092_ShorterTemplateSwallowsLongerPath",
            Config(
                Route("/{v}/List/{id}", "/api/{v}/list/{id}"),
                Route("/{v}/List/{id}/View/{vid}", "/api/{v}/list/{id}/view/{vid}", hosts: B2)),
            Get("/v1/List/5/View/9"), Ok("/api/v1/list/5/View/9"));
        yield return new("Priority_Issue2092_LongerTemplateWithHigherPriorityWins",
            Config(
                Route("/{v}/List/{id}", "/api/{v}/list/{id}"),
                Route("/{v}/List/{id}/View/{vid}", "/api/{v}/list/{id}/view/{vid}", """ "Priority": 2 """, B2)),
            Get("/v1/List/5/View/9"), Ok("/api/v1/list/5/view/9", 2));
    }

    private static IEnumerable<CompatibilityCase> TrailingSlash()
    {
        // §4.1 step 5 — template trailing '/' becomes (/|); §4.5 — downstream '/' trimmed when the upstream path has none
        var slashed = Config(Route("/orders/", "/api/orders/"));
        yield return new("TrailingSlash_TemplateSlash_RequestWithoutSlash_Matches_DownstreamTrimmed", slashed, Get("/orders"), Ok("/api/orders"));
        yield return new("TrailingSlash_TemplateSlash_RequestWithSlash_Matches", slashed, Get("/orders/"), Ok("/api/orders/"));
        yield return NotFound("TrailingSlash_TemplateWithoutSlash_RequestWithSlash_NotFound",
            Config(Route("/catalog", "/api/catalog")), Get("/catalog/"));
        yield return new("TrailingSlash_DownstreamSlashTrimmed_WhenUpstreamHasNone",
            Config(Route("/basket", "/api/basket/")), Get("/basket"), Ok("/api/basket"));

        // §4.1 step 6 — template "/" is ^/$
        var rootOnly = Config(Route("/", "/api/root"));
        yield return new("RootTemplate_MatchesSlash", rootOnly, Get("/"), Ok("/api/root"));
        yield return NotFound("RootTemplate_OtherPath_NotFound", rootOnly, Get("/other"));

        // §4.1 step 4 — dot in a template (deviation 4: literal, not a wildcard)
        var dotted = Config(Route("/v1.0/users", "/api/users"));
        yield return new("LiteralDot_ExactText_Matches", dotted, Get("/v1.0/users"), Ok("/api/users"));
        yield return NotFound("LiteralDot_IsNotAWildcard_NotFound", dotted, Get("/v1x0/users"), DevLiteralDot);
    }
}
