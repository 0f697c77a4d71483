using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Bff.Testing;
using Microsoft.AspNetCore.Http;

namespace Bff.Shared.Tests.Observability;

/// <summary>Alerts reach the log and a real webhook server, once per type and subject per minute.</summary>
internal sealed class AlertTests
{
    private static async Task<(TestBackend Server, ConcurrentQueue<JsonNode> Received)> WebhookAsync()
    {
        var received = new ConcurrentQueue<JsonNode>();
        var server = await TestBackend.StartAsync(async context =>
        {
            received.Enqueue((await JsonNode.ParseAsync(context.Request.Body))!);
            context.Response.StatusCode = 204;
        });
        return (server, received);
    }

    private static string Route(int port, string extra = "") => $$"""
        { "Routes": [ { "Key": "orders", "UpstreamPathTemplate": "/{all}", "DownstreamPathTemplate": "/{all}" {{extra}},
          "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{port}} } ] } ] }
        """;

    [Test]
    public async Task CircuitOpen_IsAlertedOncePerMinute_EvenWhenItOpensAgain()
    {
        var (hook, received) = await WebhookAsync();
        await using var _ = hook;
        await using var backend = await TestBackend.StartAsync(context => { context.Response.StatusCode = 500; return Task.CompletedTask; });
        await using var gateway = await GatewayTestHost.StartAsync(Route(backend.Port, """, "QoSOptions": { "MinimumThroughput": 2, "BreakDuration": 600 }"""),
            new Dictionary<string, string?> { ["Observer:AlertWebhook"] = $"http://127.0.0.1:{hook.Port}/alerts" });
        using var client = gateway.CreateClient();

        for (var i = 0; i < 2; i++) await client.GetAsync("/a");
        Assert.That((await client.GetAsync("/a")).StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        await Task.Delay(800);
        await client.GetAsync("/a"); // the probe fails: open again
        Assert.That((await client.GetAsync("/a")).StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));

        await Eventually.HoldsAsync(() => received.Any(a => a["type"]?.GetValue<string>() == "circuit-open"), TimeSpan.FromSeconds(5), "the webhook got the alert");
        await Task.Delay(300);
        Assert.That(received.Count(a => a["type"]?.GetValue<string>() == "circuit-open"), Is.EqualTo(1));
        var alert = received.First(a => a["type"]?.GetValue<string>() == "circuit-open");
        Assert.That(alert["details"]!["route"]!.GetValue<string>(), Is.EqualTo("orders"));
        Assert.That(alert["details"]!["destination"]!.GetValue<string>(), Is.EqualTo($"127.0.0.1:{backend.Port}"));
        Assert.That(gateway.Logs.Lines.Count(l => l.Message.StartsWith("Alert circuit-open for orders", StringComparison.Ordinal) && l.Level == Microsoft.Extensions.Logging.LogLevel.Error), Is.EqualTo(1));
    }

    [Test]
    public async Task HighShareOf5xx_IsAlertedOnce()
    {
        var (hook, received) = await WebhookAsync();
        await using var _ = hook;
        await using var backend = await TestBackend.StartAsync(context => { context.Response.StatusCode = 503; return Task.CompletedTask; });
        await using var gateway = await GatewayTestHost.StartAsync(Route(backend.Port),
            new Dictionary<string, string?> { ["Observer:AlertWebhook"] = $"http://127.0.0.1:{hook.Port}/alerts" });
        using var client = gateway.CreateClient();

        for (var i = 0; i < 19; i++) await client.GetAsync("/a");
        await Task.Delay(300);
        Assert.That(received, Is.Empty, "fewer than 20 requests: no alert yet");
        for (var i = 0; i < 21; i++) await client.GetAsync("/a");

        await Eventually.HoldsAsync(() => received.Any(a => a["type"]?.GetValue<string>() == "error-ratio"), TimeSpan.FromSeconds(5), "the webhook got the alert");
        await Task.Delay(300);
        Assert.That(received.Count(a => a["type"]?.GetValue<string>() == "error-ratio"), Is.EqualTo(1));
        Assert.That(received.First()["subject"]!.GetValue<string>(), Is.EqualTo("orders"));
    }

    [Test]
    public async Task UnreachableWebhook_NeverSlowsOrFailsRequests()
    {
        await using var backend = await TestBackend.StartAsync(context => { context.Response.StatusCode = 503; return Task.CompletedTask; });
        await using var gateway = await GatewayTestHost.StartAsync(Route(backend.Port),
            new Dictionary<string, string?> { ["Observer:AlertWebhook"] = $"http://127.0.0.1:{FreePort.Dead()}/alerts" });
        using var client = gateway.CreateClient();

        for (var i = 0; i < 25; i++) Assert.That((await client.GetAsync("/a")).StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        await Eventually.HoldsAsync(() => gateway.Logs.Lines.Any(l => l.Message.StartsWith("Alert webhook failed", StringComparison.Ordinal)), TimeSpan.FromSeconds(5), "the failed post is logged");
    }
}
