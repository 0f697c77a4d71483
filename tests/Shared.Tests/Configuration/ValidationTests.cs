using Bff.Shared.Configuration;
using Bff.Shared.Forwarding;

namespace Bff.Shared.Tests.Configuration;

internal sealed class ValidationTests
{
    private static List<ConfigError> Errors(string json, string name = "ocelot.json") => ModelBuilds.Errors(json, name);

    private static string Route(string extra = "", string upstream = "/a/{id}", string downstream = "/b/{id}") => $$"""
        { "UpstreamPathTemplate": "{{upstream}}", "DownstreamPathTemplate": "{{downstream}}",
          "DownstreamHostAndPorts": [ { "Host": "localhost", "Port": 5001 } ] {{extra}} }
        """;

    private static string Config(params string[] routes) => $$"""{ "Routes": [ {{string.Join(",", routes)}} ] }""";

    [Test]
    public void Validate_ValidRoute_HasNoErrors() =>
        Assert.That(Errors(Config(Route())), Is.Empty);

    // Each row: one broken route → the JSON path and a fragment of the message.
    [TestCase("", "", "b", "Routes[0].UpstreamPathTemplate", "UpstreamPathTemplate cannot be empty")]
    [TestCase("", "a/b", "/b", "Routes[0].UpstreamPathTemplate", "doesnt start with forward slash")]
    [TestCase("", "/a//b", "/b", "Routes[0].UpstreamPathTemplate", "contains double forward slash")]
    [TestCase("", "/a", "http://x/b", "Routes[0].DownstreamPathTemplate", "contains scheme")]
    [TestCase("", "/a/{id", "/b", "Routes[0].UpstreamPathTemplate", "without a matching")]
    [TestCase("", "/a/{id}/{id}", "/b", "Routes[0].UpstreamPathTemplate", "has duplicated placeholder")]
    [TestCase("", "/a/{id}", "/b/{id}/{id}", "Routes[0].DownstreamPathTemplate", "has duplicated placeholder")]
    [TestCase(", \"LoadBalancerOptions\": { \"Type\": \"Random\" }", "/a", "/b", "Routes[0].LoadBalancerOptions.Type", "unknown load balancer 'Random'")]
    [TestCase(", \"LoadBalancerOptions\": { \"Type\": \"CookieStickySessions\" }", "/a", "/b", "Routes[0].LoadBalancerOptions.Type", "unsupported feature: LoadBalancerOptions.Type CookieStickySessions")]
    [TestCase(", \"AuthenticationOptions\": { \"AuthenticationProviderKeys\": [\"Bearer\"] }", "/a", "/b", "Routes[0].AuthenticationOptions", "AuthenticationOptions: Bearer is unsupported authentication provider")]
    [TestCase(", \"RateLimitOptions\": { \"Limit\": 0, \"Period\": \"1s\" }", "/a", "/b", "Routes[0].RateLimitOptions.Limit", "RateLimitOptions.Limit is negative or zero")]
    [TestCase(", \"RateLimitOptions\": { \"Limit\": 5, \"Period\": \"fast\" }", "/a", "/b", "Routes[0].RateLimitOptions.Period", "RateLimitOptions.Period does not contain integer")]
    [TestCase(", \"RateLimitOptions\": { \"Limit\": 5, \"Algorithm\": \"Leaky\" }", "/a", "/b", "Routes[0].RateLimitOptions.Algorithm", "not FixedWindow, SlidingWindow or TokenBucket")]
    [TestCase(", \"RateLimitOptions\": { \"Limit\": 5, \"Limits\": [ { \"Limit\": 100, \"Period\": \"soon\" } ] }", "/a", "/b", "Routes[0].RateLimitOptions.Limits[0].Period", "is not a period")]
    [TestCase(", \"CacheOptions\": { \"TtlSeconds\": -1 }", "/a", "/b", "Routes[0].CacheOptions.TtlSeconds", "zero (off) or positive")]
    [TestCase(", \"FileCacheOptions\": { \"TtlSeconds\": 10, \"StaleIfErrorSeconds\": -5 }", "/a", "/b", "Routes[0].FileCacheOptions.StaleIfErrorSeconds", "zero or positive")]
    [TestCase(", \"ServiceName\": \"users\"", "/a", "/b", "Routes[0].ServiceName", "ServiceName and DownstreamHostAndPorts are alternatives")]
    [TestCase(", \"AddHeadersToRequest\": { \"X-Id\": \"Claims[sub]\" }", "/a", "/b", "Routes[0].AddHeadersToRequest.X-Id", "is not a claim expression")]
    [TestCase(", \"AddQueriesToRequest\": { \"tenant\": \"Claims[tid] > value[x] > |\" }", "/a", "/b", "Routes[0].AddQueriesToRequest.tenant", "is not a claim expression")]
    [TestCase(", \"ChangeDownstreamPathTemplate\": { \"tenant\": \"Claims[tid] > value\" }", "/a", "/b", "Routes[0].ChangeDownstreamPathTemplate.tenant", "has no placeholder {tenant}")]
    [TestCase(", \"DelegatingHandlers\": [\"MyHandler\"]", "/a", "/b", "Routes[0].DelegatingHandlers", "unsupported feature: DelegatingHandlers")]
    [TestCase(", \"HttpHandlerOptions\": { \"UseCookieContainer\": true }", "/a", "/b", "Routes[0].HttpHandlerOptions.UseCookieContainer", "unsupported feature: UseCookieContainer")]
    [TestCase(", \"DownstreamHttpVersion\": \"abc\"", "/a", "/b", "Routes[0].DownstreamHttpVersion", "not a valid HTTP version")]
    [TestCase(", \"DownstreamHttpVersionPolicy\": \"Whatever\"", "/a", "/b", "Routes[0].DownstreamHttpVersionPolicy", "RequestVersionExact")]
    [TestCase(", \"DownstreamScheme\": \"ftp\"", "/a", "/b", "Routes[0].DownstreamScheme", "'ftp' is not supported")]
    [TestCase(", \"SecurityOptions\": { \"IPBlockedList\": [\"not-an-ip\"] }", "/a", "/b", "Routes[0].SecurityOptions.IPBlockedList[0]", "not an IP address")]
    [TestCase(", \"UpstreamHeaderTemplates\": { \"X-Tenant\": \"{tenant}\" }", "/a", "/b", "Routes[0].UpstreamHeaderTemplates.X-Tenant", "{header:name}")]
    [TestCase(", \"UpstreamHttpMethod\": [\"GE T\"]", "/a", "/b", "Routes[0].UpstreamHttpMethod[0]", "is not an HTTP method")]
    [TestCase(", \"Priority\": \"high\"", "/a", "/b", "Routes[0]", "Failed to convert")]
    [TestCase(", \"MaxRequestBodySize\": -1", "/a", "/b", "Routes[0].MaxRequestBodySize", "zero or positive")]
    public void Validate_BrokenRoute_ReportsPathAndMessage(string extra, string upstream, string downstream, string path, string message)
    {
        var errors = Errors(Config(Route(extra, upstream, downstream)));
        Assert.That(errors.Where(e => e.Path == path).Select(e => e.Message), Has.Some.Contains(message), string.Join("\n", errors));
    }

    [Test]
    public void Validate_NoHosts_UsesOcelotMessage()
    {
        var errors = Errors("""{ "Routes": [ { "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/b" } ] }""");
        Assert.That(errors.Single().Path, Is.EqualTo("Routes[0].DownstreamHostAndPorts"));
        Assert.That(errors.Single().Message, Does.StartWith("When not using service discovery DownstreamHostAndPorts must be set"));
    }

    [Test]
    public void Validate_ManyErrors_AreAllReportedAtOnce()
    {
        var errors = Errors(Config(
            Route(upstream: "a"),
            Route(", \"Key\": \"k\""),
            Route(", \"Key\": \"k\"", upstream: "/other/{id}"),
            Route(", \"LoadBalancerOptions\": { \"Type\": \"Nope\" }", upstream: "/third/{id}")));
        Assert.That(errors.Select(e => e.Path), Is.EquivalentTo(new[]
        {
            "Routes[0].UpstreamPathTemplate",
            "Routes[2].Key",
            "Routes[3].LoadBalancerOptions.Type",
        }), string.Join("\n", errors));
        Assert.That(errors, Has.All.Matches<ConfigError>(e => e.File.EndsWith("ocelot.json", StringComparison.Ordinal)));
    }

    [Test]
    public void Validate_DuplicateRoutes_FollowOcelotRule()
    {
        var errors = Errors(Config(
            Route(", \"UpstreamHttpMethod\": [\"Get\"]", upstream: "/dup"),
            Route(", \"UpstreamHttpMethod\": [\"GET\", \"POST\"]", upstream: "/dup"),
            Route(", \"UpstreamHttpMethod\": [\"PUT\"]", upstream: "/dup"),
            Route(", \"UpstreamHost\": \"api.example.com\"", upstream: "/dup")));
        Assert.That(errors.Select(e => e.ToString()), Has.Exactly(1).Contains("Routes[1].UpstreamPathTemplate: route /dup has duplicate"));
        Assert.That(errors, Has.Count.EqualTo(1), string.Join("\n", errors));
    }

    [TestCase("""{ "GlobalConfiguration": { "AuthenticationOptions": { "AuthenticationProviderKey": "Bearer" } } }""", "GlobalConfiguration.AuthenticationOptions")]
    [TestCase("""{ "GlobalConfiguration": { "AuthenticationOptions": { "AuthenticationProviderKeys": ["Nope"] } } }""", "GlobalConfiguration.AuthenticationOptions")]
    [TestCase("""{ "GlobalConfiguration": { "ServiceDiscoveryProvider": { "Type": "Eureka", "Port": 8500 } } }""", "GlobalConfiguration.ServiceDiscoveryProvider.Type")]
    [TestCase("""{ "GlobalConfiguration": { "BaseUrl": "not a url" } }""", "GlobalConfiguration.BaseUrl")]
    [TestCase("""{ "GlobalConfiguration": { "LoadBalancerOptions": { "RouteKeys": ["missing"], "Type": "RoundRobin" } } }""", "GlobalConfiguration.LoadBalancerOptions.RouteKeys[0]")]
    [TestCase("""{ "DynamicRoutes": [ { "ServiceName": "x" } ] }""", "DynamicRoutes[0]")]
    public void Validate_GlobalProblems_AreReported(string json, string path)
    {
        var errors = Errors(json);
        Assert.That(errors.Select(e => e.Path), Does.Contain(path), string.Join("\n", errors));
    }

    [Test]
    public void Validate_BindingError_DoesNotHideOtherErrors()
    {
        var errors = Errors(Config(Route(", \"Priority\": \"high\""), Route(upstream: "no-slash")));
        Assert.That(errors.Select(e => e.Path), Is.EquivalentTo(new[] { "Routes[0]", "Routes[1].UpstreamPathTemplate" }), string.Join("\n", errors));
    }

    [Test]
    public void Validate_BaseUrlPlaceholderWithoutBaseUrl_IsAnError()
    {
        const string transform = ", \"DownstreamHeaderTransform\": { \"Location\": \"{DownstreamBaseUrl}, {BaseUrl}\" }";
        Assert.That(Errors(Config(Route(transform))).Single().Path, Is.EqualTo("Routes[0].DownstreamHeaderTransform.Location"));
        Assert.That(Errors("{ \"Routes\": [ " + Route(transform) + " ], \"GlobalConfiguration\": { \"BaseUrl\": \"https://bff.example\" } }"), Is.Empty);
    }

    [Test]
    public void Validate_GlobalSecurityOptions_AreCheckedOnceAgainstTheGlobalFile()
    {
        var errors = Errors("{ \"Routes\": [ " + Route() + ", " + Route(upstream: "/other/{id}")
            + " ], \"GlobalConfiguration\": { \"SecurityOptions\": { \"IPBlockedList\": [\"nope\"] } } }");
        Assert.That(errors.Select(e => e.Path), Is.EqualTo(new[] { "GlobalConfiguration.SecurityOptions.IPBlockedList[0]" }));
    }

    [Test]
    public void Validate_LegacyGlobalRateLimitDefaults_AreAccepted() =>
        Assert.That(Errors("""{ "GlobalConfiguration": { "RateLimitOptions": { "ClientIdHeader": "X-Client", "QuotaExceededMessage": "slow down", "HttpStatusCode": 429 } } }"""), Is.Empty);

    [Test]
    public void Validate_GlobalRateLimitDisabled_IsAccepted() =>
        Assert.That(Errors("""{ "GlobalConfiguration": { "RateLimitOptions": { "EnableRateLimiting": false } } }"""), Is.Empty);

    [Test]
    public void Validate_InvalidJson_ReportsLine()
    {
        var errors = Errors("{\n  \"Routes\": [\n    { \"UpstreamPathTemplate\": }\n  ]\n}");
        Assert.That(errors.Single().Path, Does.StartWith("(line 3"));
        Assert.That(errors.Single().Message, Does.StartWith("invalid JSON"));
    }

    [Test]
    public void Validate_CommentsAndTrailingCommas_AreAccepted() =>
        Assert.That(Errors("// routes\n{ \"Routes\": [ " + Route() + ", ], }"), Is.Empty);

    [Test]
    public void Validate_NamesAreCaseInsensitive() =>
        Assert.That(Errors("""{ "routes": [ { "upstreampathtemplate": "/a", "DOWNSTREAMPATHTEMPLATE": "/b", "downstreamHostAndPorts": [ { "host": "h", "port": "80" } ] } ] }"""), Is.Empty);
}
