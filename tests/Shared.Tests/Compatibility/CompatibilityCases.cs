namespace Bff.Shared.Tests.Compatibility;

/// <summary>
/// The Ocelot 25 compatibility table: one ocelot.json + one request + the expected outcome per row.
/// Expectations follow /work/shared/docs/ocelot-schema.md (cited as §x.y); rows with <c>Deviation</c> set expect
/// our deliberate behaviour instead. Configs use <c>{{PORT}}</c>/<c>{{PORT2}}</c>/<c>{{DEAD}}</c>, which the runner
/// substitutes in configs, request headers and expectations.
/// </summary>
internal static class CompatibilityCases
{
    private const string DevNoRoute = "No route matched: 404 problem+json (Ocelot: 404 with empty body)";
    private const string DevTimeout = "Route Timeout elapsed: 504 problem+json (Ocelot: 503 with empty body)";
    private const string DevRefused = "Connection refused: 502 problem+json (Ocelot: 502 with empty body)";
    private const string DevLiteralDot = "'.' in an upstream template is a literal dot (Ocelot: regex wildcard); no route: 404 problem+json";
    private const string DevRepeatedQuery = "Repeated query parameters forwarded intact (Ocelot collapses them when the downstream template has a query)";
    private const string DevForwarded = "X-Forwarded-For/Proto set by the gateway, X-Forwarded-Host only from BaseUrl or a restricted AllowedHosts; inbound values replaced (Ocelot adds none)";
    private const string DevHygiene = "Input hygiene: '..' segment or encoded '/' or '\\' in a placeholder value is 400 problem+json, nothing forwarded (Ocelot forwards)";
    private const string DevIpBlocked = "IP blocked: 403 problem+json (Ocelot: 403 with empty body)";
    private const string DevEmptyPlaceholder = "A placeholder needs a non-empty value ('/users/{id}' does not match '/users/'; only a final {everything} may be empty): 404 problem+json (Ocelot matches with an empty value; Gateway:OcelotEmptyPlaceholders=true restores it)";
    private const string DevHopByHop = "Hop-by-hop request headers are stripped (Ocelot forwards all but Host and Transfer-Encoding)";

    private const string B1 = """[ { "Host": "127.0.0.1", "Port": {{PORT}} } ]""";
    private const string B2 = """[ { "Host": "127.0.0.1", "Port": {{PORT2}} } ]""";
    private const string B1B2 = """[ { "Host": "127.0.0.1", "Port": {{PORT}} }, { "Host": "127.0.0.1", "Port": {{PORT2}} } ]""";
    private const string B2B1 = """[ { "Host": "127.0.0.1", "Port": {{PORT2}} }, { "Host": "127.0.0.1", "Port": {{PORT}} } ]""";
    private const string DeadB1 = """[ { "Host": "127.0.0.1", "Port": {{DEAD}} }, { "Host": "127.0.0.1", "Port": {{PORT}} } ]""";
    private const string DeadOnly = """[ { "Host": "127.0.0.1", "Port": {{DEAD}} } ]""";

    public static IEnumerable<CompatibilityCase> All() =>
        ConfigReading()
            .Concat(Placeholders())
            .Concat(CatchAll())
            .Concat(QueryTemplates())
            .Concat(CaseSensitivity())
            .Concat(Methods())
            .Concat(UpstreamHosts())
            .Concat(HeaderTemplates())
            .Concat(Priority())
            .Concat(TrailingSlash())
            .Concat(DownstreamUrl())
            .Concat(Proxying())
            .Concat(HeaderTransforms())
            .Concat(RequestId())
            .Concat(LoadBalancing())
            .Concat(Timeouts())
            .Concat(Security())
            .Concat(Hygiene());

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

    private static IEnumerable<CompatibilityCase> LoadBalancing()
    {
        // §5.4, §6.6 — NoLoadBalancer (default) = first host; RoundRobin / LeastConnection: first request → first host
        yield return new("LoadBalancer_RoundRobin_FirstRequestGoesToFirstHost",
            Config(Route("/lb", "/api/lb", """ "LoadBalancerOptions": { "Type": "RoundRobin" } """, B1B2)), Get("/lb"), Ok("/api/lb", 1));
        yield return new("LoadBalancer_RoundRobin_FirstHostFollowsListOrder",
            Config(Route("/lb", "/api/lb", """ "LoadBalancerOptions": { "Type": "RoundRobin" } """, B2B1)), Get("/lb"), Ok("/api/lb", 2));
        yield return new("LoadBalancer_NoLoadBalancer_UsesFirstHost",
            Config(Route("/lb", "/api/lb", """ "LoadBalancerOptions": { "Type": "NoLoadBalancer" } """, B2B1)), Get("/lb"), Ok("/api/lb", 2));
        yield return new("LoadBalancer_Default_IsNoLoadBalancer_UsesFirstHost",
            Config(Route("/lb", "/api/lb", hosts: B2B1)), Get("/lb"), Ok("/api/lb", 2));
        yield return new("LoadBalancer_LeastConnection_SingleRequest_UsesFirstHost",
            Config(Route("/lb", "/api/lb", """ "LoadBalancerOptions": { "Type": "LeastConnection" } """, B1B2)), Get("/lb"), Ok("/api/lb", 1));

        // §7 — connection refused → 502 (deviation 3: problem+json); no failover (Further observations)
        yield return new("LoadBalancer_NoLoadBalancer_DeadFirstHost_502",
            Config(Route("/lb-dead", "/api/lb-dead", """ "LoadBalancerOptions": { "Type": "NoLoadBalancer" } """, DeadB1)),
            Get("/lb-dead"), new(502, Backend: 0, ProblemJson: true), DevRefused);
        yield return new("LoadBalancer_RoundRobin_DeadFirstHost_NoFailover_502",
            Config(Route("/lb-dead", "/api/lb-dead", """ "LoadBalancerOptions": { "Type": "RoundRobin" } """, DeadB1)),
            Get("/lb-dead"), new(502, Backend: 0, ProblemJson: true), DevRefused);
        yield return new("Downstream_ConnectionRefused_502",
            Config(Route("/dead", "/api/dead", hosts: DeadOnly)),
            Get("/dead"), new(502, Backend: 0, ProblemJson: true), DevRefused);
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

    private static string Route(string upstream, string downstream, string extra = "", string hosts = B1) =>
        "{ \"UpstreamPathTemplate\": \"" + upstream + "\", \"DownstreamPathTemplate\": \"" + downstream
        + "\", \"DownstreamScheme\": \"http\", \"DownstreamHostAndPorts\": " + hosts
        + (extra.Length == 0 ? "" : "," + extra) + " }";

    private static string Config(params string[] routes) => ConfigWithGlobal("", routes);

    private static string ConfigWithGlobal(string global, params string[] routes) =>
        "{ \"Routes\": [ " + string.Join(", ", routes) + " ]"
        + (global.Length == 0 ? "" : ", \"GlobalConfiguration\": {" + global + "}") + " }";

    private static string Secured(string securityOptions) =>
        Config(Route("/secure", "/api/secure", " \"SecurityOptions\": {" + securityOptions + "} "));

    private static CompatibilityRequest Get(string pathAndQuery, Dictionary<string, string>? headers = null, string? host = null) =>
        new("GET", pathAndQuery, headers, host);

    private static CompatibilityRequest Send(string method, string pathAndQuery, string? body = null) =>
        new(method, pathAndQuery, Body: body);

    private static CompatibilityExpectation Ok(string pathAndQuery, int backend = 1, string method = "GET",
        Dictionary<string, string?>? down = null, Dictionary<string, string?>? resp = null) =>
        new(200, method, pathAndQuery, down, resp, backend);

    private static CompatibilityCase NotFound(string name, string config, CompatibilityRequest request, string deviation = DevNoRoute) =>
        new(name, config, request, new(404, Backend: 0, ProblemJson: true), deviation);

    private static CompatibilityCase Forbidden(string name, string config, Dictionary<string, string>? headers = null) =>
        new(name, config, Get("/secure", headers), new(403, Backend: 0, ProblemJson: true),
            headers is null ? DevIpBlocked : DevIpBlocked + "; " + DevForwarded);

    private static CompatibilityCase Rejected(string name, string config, string rawTarget) =>
        new(name, config, Get(rawTarget), new(400, Backend: 0, ProblemJson: true), DevHygiene);

    /// <summary>Expected headers; a null value means "must be absent".</summary>
    private static Dictionary<string, string?> H(params (string Name, string? Value)[] headers)
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            result[name] = value;
        }

        return result;
    }

    /// <summary>Request headers to send.</summary>
    private static Dictionary<string, string> Rq(params (string Name, string Value)[] headers)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            result[name] = value;
        }

        return result;
    }
}
