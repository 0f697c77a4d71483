using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bff.Shared.Aggregation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Shared.Tests.Aggregation;

/// <summary>Aggregates against real Kestrel backends: concurrency, chaining, failures, limits, custom aggregators.</summary>
internal sealed class AggregationTests
{
    private static string Route(string key, string upstream, string downstream, int port, string extra = "") => $$"""
        { "Key": "{{key}}", "UpstreamPathTemplate": "{{upstream}}", "DownstreamPathTemplate": "{{downstream}}",
          "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{port}} } ] {{extra}} }
        """;

    private static string Config(string[] routes, params string[] aggregates) =>
        $$"""{ "Routes": [ {{string.Join(",", routes)}} ], "Aggregates": [ {{string.Join(",", aggregates)}} ] }""";

    private static async Task<(HttpResponseMessage Response, JsonNode? Body)> GetAsync(GatewayTestHost gateway, string path, Action<HttpRequestMessage>? shape = null)
    {
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        shape?.Invoke(request);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Test]
    public async Task Aggregate_MergesPartsInRouteKeysOrder_AndPassesPlaceholders()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(Config(
            [Route("user", "/users/{id}", "/api/users/{id}", backend.Port), Route("orders", "/orders/{id}", "/api/orders?user={id}", backend.Port),
             Route("other", "/other/{x}", "/api/other/{x}", backend.Port)],
            """{ "UpstreamPathTemplate": "/home/{id}", "RouteKeys": ["orders", "user", "other"] }"""));

        var (response, body) = await GetAsync(gateway, "/home/42?extra=1");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(body!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "orders", "user", "other" }));
        Assert.That(body["orders"]!["pathAndQuery"]!.GetValue<string>(), Is.EqualTo("/api/orders?user=42&extra=1"));
        Assert.That(body["user"]!["pathAndQuery"]!.GetValue<string>(), Is.EqualTo("/api/users/42?extra=1"));
        // Ocelot: a placeholder the aggregate does not have stays literal in the part's downstream path.
        Assert.That(body["other"]!["pathAndQuery"]!.GetValue<string>(), Is.EqualTo("/api/other/%7Bx%7D?extra=1"));
        Assert.That(response.Headers.GetValues(AggregateHandler.PartsHeader).Single(), Is.EqualTo("orders=200, user=200, other=200"));
    }

    [Test]
    public async Task Aggregate_RunsPartsConcurrently()
    {
        await using var backend = await EchoBackend.StartAsync();
        string Slow(string key) => Route(key, $"/{key}", $"/{key}", backend.Port, """, "UpstreamHeaderTransform": { "X-Echo-Delay": "400" }""");
        await using var gateway = await GatewayTestHost.StartAsync(Config(
            [Slow("a"), Slow("b"), Slow("c")], """{ "UpstreamPathTemplate": "/all", "RouteKeys": ["a", "b", "c"] }"""));
        await GetAsync(gateway, "/a"); // warm up connections

        var single = Stopwatch.StartNew();
        await GetAsync(gateway, "/a");
        single.Stop();
        var all = Stopwatch.StartNew();
        var (response, _) = await GetAsync(gateway, "/all");
        all.Stop();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        // Sequential parts would take ≈3× one part; concurrent ones ≈1× plus a little.
        Assert.That(all.Elapsed.TotalMilliseconds / single.Elapsed.TotalMilliseconds, Is.LessThan(2.0),
            $"aggregate {all.ElapsedMilliseconds} ms vs one part {single.ElapsedMilliseconds} ms");
    }

    [Test]
    public async Task Aggregate_NonJsonPartIsAString_EmptyPartIsNull_JsonPartIsEmbedded()
    {
        await using var backend = await TestBackend.StartAsync(async context =>
        {
            switch (context.Request.Path.Value)
            {
                case "/text": context.Response.ContentType = "text/plain"; await context.Response.WriteAsync("plain \"text\""); break;
                case "/empty": context.Response.StatusCode = 204; break;
                case "/json": context.Response.ContentType = "application/json"; await context.Response.WriteAsync("""{"a":[1,2]}"""); break;
                case "/badjson": context.Response.ContentType = "application/json"; await context.Response.WriteAsync("{\"a\":"); break;
            }
        });
        await using var gateway = await GatewayTestHost.StartAsync(Config(
            [Route("text", "/t", "/text", backend.Port), Route("empty", "/e", "/empty", backend.Port),
             Route("json", "/j", "/json", backend.Port), Route("bad", "/b", "/badjson", backend.Port)],
            """{ "UpstreamPathTemplate": "/mixed", "RouteKeys": ["text", "empty", "json", "bad"] }"""));

        using var client = gateway.CreateClient();
        var text = await client.GetStringAsync("/mixed");

        Assert.That(text, Is.EqualTo("""{"text":"plain \u0022text\u0022","empty":null,"json":{"a":[1,2]},"bad":"{\u0022a\u0022:"}"""));
    }

    [Test]
    public async Task Aggregate_PartialMode_FailedPartIsNull_AndDescribed()
    {
        await using var backend = await EchoBackend.StartAsync();
        var dead = FreePort.Dead();
        await using var gateway = await GatewayTestHost.StartAsync(Config(
            [Route("user", "/u", "/u", backend.Port), Route("payments", "/p", "/p", dead),
             Route("missing", "/m", "/m", backend.Port, """, "UpstreamHeaderTransform": { "X-Echo-Status": "404" }""")],
            """{ "UpstreamPathTemplate": "/partial", "RouteKeys": ["user", "payments", "missing"] }"""));

        var (response, body) = await GetAsync(gateway, "/partial");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body!["user"], Is.Not.Null);
        Assert.That(body["payments"], Is.Null);
        Assert.That(body["missing"], Is.Null);
        Assert.That(body[AggregateHandler.ErrorsMember]!.ToJsonString(),
            Is.EqualTo("""[{"key":"payments","status":502,"title":"Bad Gateway"},{"key":"missing","status":404,"title":"Not Found"}]"""));
        Assert.That(response.Headers.GetValues(AggregateHandler.PartsHeader).Single(), Is.EqualTo("user=200, payments=502, missing=404"));
    }

    [Test]
    public async Task Aggregate_StrictMode_AnyFailure_Is502ProblemNamingParts()
    {
        await using var backend = await EchoBackend.StartAsync();
        var dead = FreePort.Dead();
        await using var gateway = await GatewayTestHost.StartAsync(Config(
            [Route("user", "/u", "/u", backend.Port), Route("payments", "/p", "/p", dead)],
            """{ "UpstreamPathTemplate": "/strict", "RouteKeys": ["user", "payments"], "FailureMode": "Strict" }"""));

        var (response, body) = await GetAsync(gateway, "/strict");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(body!["parts"]!.ToJsonString(), Is.EqualTo("""[{"key":"payments","status":502}]"""));
        Assert.That(body["detail"]!.GetValue<string>(), Does.Contain("payments"));
    }

    [Test]
    public async Task Aggregate_RequiredPartFails_Is502_OptionalPartFails_Is200()
    {
        await using var backend = await EchoBackend.StartAsync();
        var dead = FreePort.Dead();
        string Aggregate(string path, string required) =>
            $$"""{ "UpstreamPathTemplate": "{{path}}", "RouteKeys": ["user", "payments"], "Required": [ "{{required}}" ] }""";
        await using var gateway = await GatewayTestHost.StartAsync(Config(
            [Route("user", "/u", "/u", backend.Port), Route("payments", "/p", "/p", dead)],
            Aggregate("/needs-payments", "payments"), Aggregate("/needs-user", "user")));

        Assert.That((await GetAsync(gateway, "/needs-payments")).Response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That((await GetAsync(gateway, "/needs-user")).Response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Aggregate_Timeout_SlowPartIs504_OthersReturned()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(Config(
            [Route("fast", "/f", "/f", backend.Port), Route("slow", "/s", "/s", backend.Port, """, "UpstreamHeaderTransform": { "X-Echo-Delay": "5000" }""")],
            """{ "UpstreamPathTemplate": "/deadline", "RouteKeys": ["fast", "slow"], "TimeoutMs": 300 }"""));

        var watch = Stopwatch.StartNew();
        var (response, body) = await GetAsync(gateway, "/deadline");
        watch.Stop();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body!["fast"], Is.Not.Null);
        Assert.That(body["slow"], Is.Null);
        Assert.That(response.Headers.GetValues(AggregateHandler.PartsHeader).Single(), Is.EqualTo("fast=200, slow=504"));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(4)), "the slow part was cut at the deadline");
    }

    private static Task<TestBackend> ListBackendAsync(int count) => TestBackend.StartAsync(async context =>
    {
        context.Response.ContentType = "application/json";
        var path = context.Request.Path.Value!;
        if (path == "/orders")
            await context.Response.WriteAsync("[" + string.Join(",", Enumerable.Range(1, count).Select(i => $$"""{"id":{{i}},"userId":"u{{i % 2}}"}""")) + "]");
        else
            await context.Response.WriteAsync($$"""{"path":"{{path}}"}""");
    });

    [Test]
    public async Task Aggregate_RouteKeysConfig_CallsTheDependentRouteOncePerDistinctValue()
    {
        await using var backend = await ListBackendAsync(3);
        await using var gateway = await GatewayTestHost.StartAsync(Config(
            [Route("orders", "/orders", "/orders", backend.Port), Route("payments", "/payments/{orderId}", "/payments/{orderId}", backend.Port),
             Route("users", "/users/{userId}", "/users/{userId}", backend.Port)],
            """
            { "UpstreamPathTemplate": "/orders-with-payments", "RouteKeys": ["orders", "payments", "users"],
              "RouteKeysConfig": [ { "RouteKey": "payments", "JsonPath": "$[*].id", "Parameter": "orderId" },
                                   { "RouteKey": "users", "JsonPath": "$[*].userId", "Parameter": "userId" } ] }
            """));

        var (response, body) = await GetAsync(gateway, "/orders-with-payments");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body!["orders"]!.AsArray(), Has.Count.EqualTo(3));
        Assert.That(body["payments"]!.AsArray().Select(p => p!["path"]!.GetValue<string>()), Is.EqualTo(new[] { "/payments/1", "/payments/2", "/payments/3" }));
        Assert.That(body["users"]!.AsArray().Select(p => p!["path"]!.GetValue<string>()), Is.EqualTo(new[] { "/users/u1", "/users/u0" }), "distinct values");
    }

    [Test]
    public async Task Aggregate_FanOutOverTheCap_Is502_AndCallsNothingMore()
    {
        var calls = 0;
        await using var backend = await TestBackend.StartAsync(async context =>
        {
            Interlocked.Increment(ref calls);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(context.Request.Path == "/orders"
                ? "[" + string.Join(",", Enumerable.Range(1, 60).Select(i => $$"""{"id":{{i}}}""")) + "]"
                : "{}");
        });
        string Aggregate(string path, string cap) => $$"""
            { "UpstreamPathTemplate": "{{path}}", "RouteKeys": ["orders", "payments"] {{cap}},
              "RouteKeysConfig": [ { "RouteKey": "payments", "JsonPath": "$[*].id", "Parameter": "orderId" } ] }
            """;
        await using var gateway = await GatewayTestHost.StartAsync(Config(
            [Route("orders", "/orders", "/orders", backend.Port), Route("payments", "/payments/{orderId}", "/payments/{orderId}", backend.Port)],
            Aggregate("/capped", ""), Aggregate("/roomy", """, "MaxFanOut": 100 """)));

        var (capped, problem) = await GetAsync(gateway, "/capped");
        Assert.That(capped.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That(problem!["detail"]!.GetValue<string>(), Does.Contain("61 downstream calls").And.Contain("at most 50"));
        Assert.That(calls, Is.EqualTo(1), "only the first part ran");

        var (roomy, body) = await GetAsync(gateway, "/roomy");
        Assert.That(roomy.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body!["payments"]!.AsArray(), Has.Count.EqualTo(60));
    }

    [Test]
    public async Task Aggregate_ResponseOverTheSizeCap_Is502()
    {
        await using var backend = await TestBackend.StartAsync(context => context.Response.WriteAsync(new string('x', 4000)));
        await using var gateway = await GatewayTestHost.StartAsync(Config(
            [Route("a", "/a", "/a", backend.Port), Route("b", "/b", "/b", backend.Port)],
            """{ "UpstreamPathTemplate": "/big", "RouteKeys": ["a", "b"], "MaxResponseBytes": 6000 }"""));

        var (response, body) = await GetAsync(gateway, "/big");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That(body!["detail"]!.GetValue<string>(), Does.Contain("6000 bytes"));
    }

    [Test]
    public async Task Aggregate_Post_GivesTheBodyToEveryPart()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(Config(
            [Route("a", "/a", "/a", backend.Port), Route("b", "/b", "/b", backend.Port)],
            """{ "UpstreamPathTemplate": "/both", "UpstreamHttpMethod": ["POST"], "RouteKeys": ["a", "b"] }"""));
        using var client = gateway.CreateClient();

        var response = await client.PostAsync("/both", new StringContent("""{"order":1}""", Encoding.UTF8, "application/json"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        foreach (var key in new[] { "a", "b" })
        {
            Assert.That(body[key]!["method"]!.GetValue<string>(), Is.EqualTo("POST"));
            Assert.That(body[key]!["body"]!.GetValue<string>(), Is.EqualTo("""{"order":1}"""));
        }
        Assert.That((await client.GetAsync("/both")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "aggregate methods are exactly the configured ones");
    }

    [Test]
    public async Task Aggregate_Headers_NoDownstreamHeaders_AllowListCopied_TraceparentToEveryPart()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(Config(
            [Route("a", "/a", "/a", backend.Port), Route("b", "/b", "/b", backend.Port)],
            """{ "UpstreamPathTemplate": "/h", "RouteKeys": ["a", "b"], "CopyHeaders": ["X-Version"] }"""));

        var (response, body) = await GetAsync(gateway, "/h", request =>
        {
            request.Headers.Add("X-Echo-Response-Set-Cookie", "s=1");
            request.Headers.Add("X-Echo-Response-X-Version", "7");
            request.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        });

        Assert.That(response.Headers.Contains("Set-Cookie"), Is.False);
        Assert.That(response.Headers.Contains("X-Echo-Backend"), Is.False);
        Assert.That(response.Headers.GetValues("X-Version").Single(), Is.EqualTo("7"));
        var traceA = body!["a"]!["headers"]!["traceparent"]!.GetValue<string>();
        var traceB = body["b"]!["headers"]!["traceparent"]!.GetValue<string>();
        Assert.That(traceA.Split('-')[1], Is.EqualTo("0af7651916cd43dd8448eb211c80319c"));
        Assert.That(traceB.Split('-')[1], Is.EqualTo("0af7651916cd43dd8448eb211c80319c"));
    }

    [Test]
    public async Task Aggregate_PartRunsItsRoutesOwnPipeline()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(Config(
            [Route("open", "/o", "/o", backend.Port, """, "UpstreamHeaderTransform": { "X-Part": "open" }"""),
             Route("blocked", "/b", "/b", backend.Port, """, "SecurityOptions": { "IPBlockedList": ["127.0.0.1"] }""")],
            """{ "UpstreamPathTemplate": "/p", "RouteKeys": ["open", "blocked"] }"""));

        var (response, body) = await GetAsync(gateway, "/p");

        // Ocelot: a part refused by the gateway (here its IP rule: 403) makes that refusal the aggregate's answer.
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(body!["detail"]!.GetValue<string>(), Does.Contain("client address"));
        Assert.That((await GetAsync(gateway, "/b")).Response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "same answer as a direct call");
        Assert.That((await GetAsync(gateway, "/o")).Body!["headers"]!["X-Part"]!.GetValue<string>(), Is.EqualTo("open"), "the route's own header transform");
    }

    [Test]
    public async Task Aggregate_ManyConcurrentRequests_AllSucceed()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(Config(
            [Route("a", "/a", "/a", backend.Port), Route("b", "/b", "/b", backend.Port), Route("c", "/c", "/c", backend.Port)],
            """{ "UpstreamPathTemplate": "/abc", "RouteKeys": ["a", "b", "c"] }"""));
        using var client = gateway.CreateClient();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 64).Select(async _ => (await client.GetAsync("/abc")).StatusCode));

        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(gateway.Logs.Lines.Where(l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Error), Is.Empty);
    }

    private sealed class CountingAggregator : IBffAggregator
    {
        public ValueTask<AggregateResponse> AggregateAsync(AggregateContext context, CancellationToken cancellationToken)
        {
            var summary = context.Parts.Select(p => $"{p.Key}:{p.Status}:{p.Body.Length > 0}:{p.Headers.Count > 0}");
            return ValueTask.FromResult(new AggregateResponse(201, "text/plain", Encoding.UTF8.GetBytes(string.Join(";", summary)))
            {
                Headers = new Dictionary<string, Microsoft.Extensions.Primitives.StringValues> { ["X-Aggregated"] = "yes" },
            });
        }
    }

    [Test]
    public async Task Aggregate_CustomAggregator_GetsEveryPartNeverNull()
    {
        await using var backend = await EchoBackend.StartAsync();
        var dead = FreePort.Dead();
        await using var gateway = await GatewayTestHost.StartAsync(Config(
            [Route("a", "/a", "/a", backend.Port), Route("down", "/d", "/d", dead)],
            """{ "UpstreamPathTemplate": "/custom", "RouteKeys": ["a", "down"], "Aggregator": "Counting" }"""),
            services: s => s.AddBffAggregator<CountingAggregator>("Counting"));
        using var client = gateway.CreateClient();

        var response = await client.GetAsync("/custom");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("a:200:True:True;down:502:True:True"));
        Assert.That(response.Headers.GetValues("X-Aggregated").Single(), Is.EqualTo("yes"));
    }

    [Test]
    public async Task Aggregate_MatchesLikeOcelot_RoutesBeforeAggregatesAtEqualPriority_UpstreamHost()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(Config(
            [Route("a", "/a", "/a", backend.Port), Route("catch", "/x/{all}", "/catch/{all}", backend.Port)],
            """{ "UpstreamPathTemplate": "/x/agg", "RouteKeys": ["a"] }""",
            """{ "UpstreamPathTemplate": "/y/agg", "RouteKeys": ["a"], "UpstreamHost": "bff.example" }"""));

        // Same priority: the route listed in Routes wins over the aggregate (Routes ∪ Aggregates order).
        var routed = await RawHttp.SendAsync(gateway.BaseAddress.Port, "GET", "/x/agg");
        Assert.That(routed.Body, Does.Contain("/catch/agg"));
        Assert.That((await RawHttp.SendAsync(gateway.BaseAddress.Port, "GET", "/y/agg", host: "bff.example")).Status, Is.EqualTo(200));
        Assert.That((await RawHttp.SendAsync(gateway.BaseAddress.Port, "GET", "/y/agg", host: "other.example")).Status, Is.EqualTo(404));
        // Ocelot: an aggregate without UpstreamHttpMethod answers GET only.
        Assert.That((await RawHttp.SendAsync(gateway.BaseAddress.Port, "POST", "/y/agg", host: "bff.example", body: "{}")).Status, Is.EqualTo(404));
    }
}
