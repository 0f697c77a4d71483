using System.Diagnostics;
using System.Net;
using Bff.Testing;
using Microsoft.Extensions.DependencyInjection;
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
        await using var gateway = await GatewayTestHost.StartAsync(Config(backend.Port, FreePort.Dead()),
            services: s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
        using var client = gateway.CreateClient();

        var response = await client.GetAsync("/orders/42");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var echoed = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<EchoedRequest>(response.Content))!;

        await WaitForAsync(() => spans.Any(s => s.Kind == ActivityKind.Server && (string?)s.GetTagItem("bff.route") == "orders"));
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

    [TestCase("ftp://127.0.0.1:9464")]
    [TestCase("http://127.0.0.1")]
    [TestCase("metrics:9464")]
    public void MetricsUrl_Invalid_FailsStartup(string url)
    {
        var error = Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
            await GatewayTestHost.StartAsync(Config(1, 1), new Dictionary<string, string?> { ["Observer:MetricsUrl"] = url }));
        Assert.That(error!.Message, Does.Contain("Observer:MetricsUrl"));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        bool Safe() { try { return condition(); } catch (InvalidOperationException) { return false; } } // exported concurrently
        for (var i = 0; i < 50 && !Safe(); i++) await Task.Delay(100);
        Assert.That(Safe(), Is.True, "the span was exported");
    }
}
