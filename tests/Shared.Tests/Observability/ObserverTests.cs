using System.Diagnostics;
using System.Net;
using Bff.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Bff.Shared.Tests.Observability;

/// <summary>OpenTelemetry traces and metrics of proxied and failed requests; the Prometheus endpoint.</summary>
internal sealed class ObserverTests
{
    private static string Config(int port, int deadPort) => $$"""
        { "Routes": [
            { "Key": "orders", "UpstreamPathTemplate": "/orders/{id}", "DownstreamPathTemplate": "/o/{id}", "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{port}} } ] },
            { "UpstreamPathTemplate": "/dead/{all}", "DownstreamPathTemplate": "/{all}", "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{deadPort}} } ] } ] }
        """;

    [Test]
    public async Task ProxiedRequest_ServerSpanCarriesRouteBffAndDestination_AndTheTraceContinuesDownstream()
    {
        var spans = new List<Activity>();
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(Config(backend.Port, FreePort.Dead()), new Dictionary<string, string?> { ["Observer:Tracing"] = "true" },
            services: s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
        using var client = gateway.CreateClient();

        var response = await client.GetAsync("/orders/42");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var echoed = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<EchoedRequest>(response.Content))!;

        await Eventually.HoldsAsync(() => spans.Any(s => s.Kind == ActivityKind.Server && (string?)s.GetTagItem("bff.route") == "orders"), TimeSpan.FromSeconds(5), "the span was exported");
        Activity server;
        lock (spans) server = spans.First(s => s.Kind == ActivityKind.Server && (string?)s.GetTagItem("bff.route") == "orders");
        Assert.That(server.GetTagItem("http.route"), Is.EqualTo("orders"));
        Assert.That(server.GetTagItem("bff.name"), Is.EqualTo("test"));
        Assert.That(server.GetTagItem("bff.destination"), Is.EqualTo($"http://127.0.0.1:{backend.Port}"));
        Assert.That(server.DisplayName, Is.EqualTo("GET orders"));
        // W3C trace context: the backend got a traceparent of the same trace, from the gateway's client span.
        Assert.That(echoed.Headers.First(h => h.Key.Equals("traceparent", StringComparison.OrdinalIgnoreCase)).Value, Does.StartWith($"00-{server.TraceId}-"));
        lock (spans)
            Assert.That(spans.Where(s => s.Kind == ActivityKind.Client && s.ParentSpanId == server.SpanId), Has.Exactly(1).Items, "one downstream call, a child of the server span");
    }

    [Test]
    public async Task InMemoryExporter_RecordsProxiedAggregatedRateLimitedCachedAndFailedRequests_TaggedWithBffAndRoute()
    {
        var metrics = new List<Metric>();
        await using var backend = await EchoBackend.StartAsync();
        var dead = FreePort.Dead();
        string Route(string key, string upstream, int port, string extra = "") =>
            $$"""{ "Key": "{{key}}", "UpstreamPathTemplate": "{{upstream}}", "DownstreamPathTemplate": "/x", "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{port}} } ] {{extra}} }""";
        await using var gateway = await GatewayTestHost.StartAsync($$"""
            { "Routes": [
                {{Route("plain", "/plain", backend.Port)}},
                {{Route("down", "/down", dead)}},
                {{Route("cached", "/cached", backend.Port, """, "FileCacheOptions": { "TtlSeconds": 60 }""")}},
                {{Route("limited", "/limited", backend.Port, """, "RateLimitOptions": { "EnableRateLimiting": true, "Limit": 1, "Period": "1m" }""")}} ],
              "Aggregates": [ { "UpstreamPathTemplate": "/both", "RouteKeys": [ "plain", "down" ] } ] }
            """, services: s => s.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(metrics)));
        using var client = gateway.CreateClient();

        Assert.That((await client.GetAsync("/plain")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.GetAsync("/down")).StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That((await client.GetAsync("/cached")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.GetAsync("/cached")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.GetAsync("/limited")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.GetAsync("/limited")).StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That((await client.GetAsync("/both")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "Partial: the dead part is reported under $errors");

        // The count of the points of an instrument that carry every given tag value (histograms: recordings).
        long Total(string instrument, params (string Tag, string Value)[] tags)
        {
            long total = 0;
            lock (metrics)
                foreach (var metric in metrics.Where(m => m.Name == instrument))
                    foreach (ref readonly var point in metric.GetMetricPoints())
                    {
                        var pointTags = new Dictionary<string, object?>();
                        foreach (var tag in point.Tags) pointTags[tag.Key] = tag.Value;
                        if (tags.All(t => pointTags.GetValueOrDefault(t.Tag) as string == t.Value))
                            total += metric.MetricType == MetricType.Histogram ? point.GetHistogramCount() : point.GetSumLong();
                    }
            return total;
        }
        long Sum(string instrument, params (string Tag, string Value)[] tags) => Total(instrument, [("bff", "test"), .. tags]);

        // A request is counted when the gateway has finished it, which can be just after its client read the answer:
        // export a fresh snapshot until the last request (the aggregate) is in it.
        var provider = gateway.Services.GetRequiredService<OpenTelemetry.Metrics.MeterProvider>();
        await Eventually.HoldsAsync(() =>
        {
            lock (metrics) metrics.Clear();
            provider.ForceFlush();
            return Sum("bff.gateway.requests", ("route", "/both")) == 1;
        }, TimeSpan.FromSeconds(10), "the aggregate request is counted");

        Assert.Multiple(() =>
        {
            Assert.That(Sum("bff.gateway.requests", ("route", "plain"), ("status_class", "2xx"), ("source", "downstream")), Is.EqualTo(1), "proxied");
            Assert.That(Sum("bff.downstream.duration", ("route", "plain")), Is.EqualTo(2), "downstream calls of route plain: the direct one and the aggregate part");
            Assert.That(Sum("bff.gateway.requests", ("route", "down"), ("status_class", "5xx"), ("source", "gateway")), Is.EqualTo(1), "failed: the gateway answered 502");
            Assert.That(Sum("bff.cache.results", ("route", "cached"), ("result", "miss")), Is.EqualTo(1), "cached: first a miss");
            Assert.That(Sum("bff.cache.results", ("route", "cached"), ("result", "hit")), Is.EqualTo(1), "cached: then a hit");
            Assert.That(Sum("bff.rate_limiting.decisions", ("route", "limited"), ("result", "rejected")), Is.EqualTo(1), "rate limited");
            Assert.That(Sum("bff.gateway.requests", ("route", "limited"), ("status_class", "4xx"), ("source", "gateway")), Is.EqualTo(1), "rate limited: 429 by the gateway");
            Assert.That(Sum("bff.gateway.requests", ("route", "/both"), ("status_class", "2xx")), Is.EqualTo(1), "aggregated");
            Assert.That(Sum("bff.aggregate.parts", ("route", "/both"), ("part", "plain"), ("status_class", "2xx")), Is.EqualTo(1), "aggregate part that answered");
            Assert.That(Sum("bff.aggregate.parts", ("route", "/both"), ("part", "down"), ("status_class", "5xx")), Is.EqualTo(1), "aggregate part that failed");
            Assert.That(Sum("http.server.request.duration"), Is.EqualTo(0), "the bff tag is ours only: ASP.NET Core's histogram is found by http.route");
        });
        Assert.That(Total("http.server.request.duration", ("http.route", "limited")), Is.EqualTo(2), "http.server.request.duration carries the route key as http.route");
    }

    [TestCase(null, null, false)]
    [TestCase(null, "http://127.0.0.1:4317", true)]
    [TestCase("true", null, true)]
    [TestCase("false", "http://127.0.0.1:4317", false)]
    public async Task Tracing_IsOnWhenSpansHaveSomewhereToGo(string? tracing, string? otlp, bool on)
    {
        await using var gateway = await GatewayTestHost.StartAsync(Config(1, 1),
            new Dictionary<string, string?> { ["Observer:Tracing"] = tracing, ["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp });

        Assert.That(gateway.Services.GetService<TracerProvider>(), on ? Is.Not.Null : Is.Null);
        Assert.That(gateway.Services.GetService<OpenTelemetry.Metrics.MeterProvider>(), Is.Not.Null, "metrics are always on");
    }

    [Test]
    public async Task MetricsEndpoint_ShowsRequestsByRouteStatusClassAndSource_AndHttpRoute()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(Config(backend.Port, FreePort.Dead()));
        using var client = gateway.CreateClient();
        for (var i = 0; i < 3; i++) Assert.That((await client.GetAsync($"/orders/{i}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.GetAsync("/dead/x")).StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));

        var metrics = await client.GetStringAsync("/metrics");

        Assert.That(metrics, Does.Match("""bff_gateway_requests_total\{[^}]*bff="test"[^}]*route="orders"[^}]*source="downstream"[^}]*status_class="2xx"[^}]*\} 3"""));
        Assert.That(metrics, Does.Match("""bff_gateway_requests_total\{[^}]*route="/dead/\{all\}"[^}]*source="gateway"[^}]*status_class="5xx"[^}]*\} 1"""));
        Assert.That(metrics, Does.Match("""http_server_request_duration_seconds_count\{[^}]*http_route="orders"[^}]*\} 3"""));
        Assert.That(metrics, Does.Contain("bff_downstream_duration_seconds_bucket{"));
    }

    [Test]
    public async Task MetricsEndpoint_CanBeTurnedOffOrMoved()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using (var off = await GatewayTestHost.StartAsync(Config(backend.Port, 1), new Dictionary<string, string?> { ["Observer:MetricsEnabled"] = "false" }))
        using (var client = off.CreateClient())
            Assert.That((await client.GetAsync("/metrics")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        await using var moved = await GatewayTestHost.StartAsync(Config(backend.Port, 1), new Dictionary<string, string?> { ["Observer:MetricsPath"] = "/internal/metrics" });
        using var movedClient = moved.CreateClient();
        Assert.That(await movedClient.GetStringAsync("/internal/metrics"), Does.Contain("# EOF").Or.Contain("# TYPE"));
    }

    [Test]
    public async Task MetricsEndpoint_CanMoveToAManagementListener_WhichServesNothingElse()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(Config(backend.Port, 1),
            new Dictionary<string, string?> { ["Observer:MetricsUrl"] = "http://127.0.0.1:0" });
        using var client = gateway.CreateClient();
        Assert.That((await client.GetAsync("/orders/1")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var address = gateway.Services.GetRequiredService<Bff.Shared.Observability.MetricsServer>().Addresses.Single();
        Assert.That(new Uri(address).Port, Is.Not.EqualTo(client.BaseAddress!.Port), "a port of its own");
        using var management = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(10) };

        Assert.That(await management.GetStringAsync("/metrics"),
            Does.Match("""bff_gateway_requests_total\{[^}]*route="orders"[^}]*\} 1"""), "the gateway's own meter, scraped on the management port");
        Assert.That((await client.GetAsync("/metrics")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "no longer on the host's port");

        var before = backend.RequestCount;
        Assert.That((await management.GetAsync("/orders/2")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "gateway routes are not served on the management port");
        Assert.That(backend.RequestCount, Is.EqualTo(before), "nothing was forwarded");
    }

    [Test]
    public async Task AClientThatGoesAway_IsCounted499FromTheClient_NotAsAnError()
    {
        await using var slow = await TestBackend.StartAsync(async context =>
        {
            try { await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted); } catch (OperationCanceledException) { }
        });
        await using var gateway = await GatewayTestHost.StartAsync(Config(slow.Port, 1));
        using (var impatient = gateway.CreateClient())
        {
            impatient.Timeout = TimeSpan.FromMilliseconds(300);
            Assert.That(async () => await impatient.GetAsync("/orders/1"), Throws.InstanceOf<TaskCanceledException>());
        }

        using var client = gateway.CreateClient();
        string metrics = "";
        await Eventually.HoldsAsync(async () => (metrics = await client.GetStringAsync("/metrics")).Contains("source=\"client\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(5), "the aborted request was counted");
        Assert.That(metrics, Does.Match("""bff_gateway_requests_total\{[^}]*route="orders"[^}]*source="client"[^}]*status_class="4xx"[^}]*\} 1"""));
        Assert.That(metrics, Does.Not.Match("""bff_gateway_requests_total\{[^}]*route="orders"[^}]*status_class="5xx"""), "not a server error");
        Assert.That(gateway.Logs.Lines.Where(l => l.Message.StartsWith("Gateway request", StringComparison.Ordinal)).Select(l => (l.Level, l.Message)),
            Has.Some.Matches<(Microsoft.Extensions.Logging.LogLevel Level, string Message)>(l => l.Level == Microsoft.Extensions.Logging.LogLevel.Debug && l.Message.Contains("→ 499 from client", StringComparison.Ordinal))
                .And.None.Matches<(Microsoft.Extensions.Logging.LogLevel Level, string Message)>(l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Warning));
    }

    [TestCase("ftp://127.0.0.1:9464")]
    [TestCase("http://127.0.0.1")]
    [TestCase("metrics:9464")]
    public void MetricsUrl_Invalid_FailsStartup(string url)
    {
        var error = Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
            await GatewayTestHost.StartAsync(Config(1, 1), new Dictionary<string, string?> { ["Observer:MetricsUrl"] = url }));
        Assert.That(error!.Message, Does.Contain("Observer:MetricsUrl"));
    }
}
