using System.Net;
using System.Net.WebSockets;

namespace Bff.Shared.Tests.Forwarding;

/// <summary>Traversal, limits and robustness beyond the Ocelot compatibility rows.</summary>
internal sealed class HardeningTests
{
    private static string Config(int port, string upstream, string downstream, string extra = "", string global = "") => $$"""
        { "Routes": [ { "UpstreamPathTemplate": "{{upstream}}", "DownstreamPathTemplate": "{{downstream}}",
            "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{port}} } ] {{extra}} } ]
          {{(global.Length == 0 ? "" : ", \"GlobalConfiguration\": {" + global + "}")}} }
        """;

    [TestCase("/files/%252e%252e/secret")]
    [TestCase("/files/..;/secret")]
    [TestCase("/q?path=..%2F..%2Fadmin")]
    [TestCase("/q?path=%2e%2e")]
    public async Task Traversal_InAnyPlaceholderValue_Is400_NotForwarded(string target)
    {
        await using var backend = await EchoBackend.StartAsync();
        var config = $$"""
            { "Routes": [
              { "UpstreamPathTemplate": "/files/{path}", "DownstreamPathTemplate": "/store/{path}", "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{backend.Port}} } ] },
              { "UpstreamPathTemplate": "/q?path={path}", "DownstreamPathTemplate": "/store/{path}", "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{backend.Port}} } ] } ] }
            """;
        await using var gateway = await GatewayTestHost.StartAsync(config);

        var response = await RawHttp.SendAsync(gateway.BaseAddress.Port, "GET", target);

        Assert.That(response.Status, Is.EqualTo(400), response.Body);
        Assert.That(response.Header("Content-Type"), Does.StartWith("application/problem+json"));
        Assert.That(backend.RequestCount, Is.Zero);
    }

    [Test]
    public async Task Traversal_InHeaderCapture_Is400()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(Config(backend.Port, "/t", "/tenants/{tenant}/data",
            """, "UpstreamHeaderTemplates": { "X-Tenant": "{header:tenant}" }"""));

        var response = await RawHttp.SendAsync(gateway.BaseAddress.Port, "GET", "/t", [KeyValuePair.Create("X-Tenant", "../../admin")]);

        Assert.That(response.Status, Is.EqualTo(400));
        Assert.That(backend.RequestCount, Is.Zero);
    }

    [Test]
    public async Task DeclaredBodyOverKestrelLimit_Is413_BeforeForwarding()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(Config(backend.Port, "/{all}", "/{all}"),
            new Dictionary<string, string?> { ["Kestrel:Limits:MaxRequestBodySize"] = "100" });

        var response = await RawHttp.SendAsync(gateway.BaseAddress.Port, "POST", "/upload", body: new string('x', 150));

        Assert.That(response.Status, Is.EqualTo(413));
        Assert.That(response.Body, Does.Contain("rfc9110#section-15.5.14").And.Contain("traceId"));
        Assert.That(backend.RequestCount, Is.Zero);
    }

    [Test]
    public async Task WebSocketRoute_HasNoIdleTimeout()
    {
        await using var backend = await TestBackend.StartWebSocketEchoAsync();
        await using var gateway = await GatewayTestHost.StartAsync(Config(backend.Port, "/ws", "/ws", """, "DownstreamScheme": "ws", "Timeout": 1"""));
        using var socket = new ClientWebSocket();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{gateway.BaseAddress.Port}/ws"), cts.Token);

        await Task.Delay(1600); // longer than the route Timeout of 1 s, with no traffic
        Assert.That(await TestBackend.RoundTripAsync(socket, "still here", cts.Token), Is.EqualTo("echo:still here"));
    }

    [Test]
    public async Task PlaceholderBeforeTrailingSlash_MatchesWithAndWithoutIt()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(Config(backend.Port, "/api/{id}/", "/items/{id}"));
        using var client = gateway.CreateClient();

        Assert.That((await client.GetAsync("/api/5")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.GetAsync("/api/5/")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task ReloadWithCollidingPropertyNames_KeepsServing()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(Config(backend.Port, "/ok", "/ok"));
        var rejected = new TaskCompletionSource<IReadOnlyList<Bff.Shared.Configuration.ConfigError>>(TaskCreationOptions.RunContinuationsAsynchronously);
        gateway.Provider.ReloadRejected += errors => rejected.TrySetResult(errors);

        gateway.Folder.Write("ocelot.json", """{ "Routes": [], "routes": [] }""");

        var errors = await rejected.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.That(errors.Single().Message, Does.Contain("occurs twice"));
        using var client = gateway.CreateClient();
        Assert.That((await client.GetAsync("/ok")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
