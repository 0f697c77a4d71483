using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bff.Shared.Tests.Forwarding;

/// <summary>Forwarding behaviour against real Kestrel backends: errors, streaming, limits, WebSockets.</summary>
internal sealed class ForwardingTests
{
    private static string Config(int port, string extra = "", string scheme = "http", string upstream = "/api/{everything}", string downstream = "/{everything}") => $$"""
        { "Routes": [ { "UpstreamPathTemplate": "{{upstream}}", "DownstreamPathTemplate": "{{downstream}}", "DownstreamScheme": "{{scheme}}",
            "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{port}} } ] {{extra}} } ] }
        """;

    [Test]
    public async Task ConnectionRefused_Is502ProblemJson_WithoutInternalAddress()
    {
        var dead = FreePort.Dead();
        await using var gateway = await GatewayTestHost.StartAsync(Config(dead));
        using var client = gateway.CreateClient();

        var response = await client.GetAsync("/api/x");
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(body, Does.Contain("\"traceId\"").And.Contain("\"status\":502"));
        Assert.That(body, Does.Not.Contain(dead.ToString(System.Globalization.CultureInfo.InvariantCulture)).And.Not.Contain("127.0.0.1"));
    }

    // The gateway's own answer to a timeout, and a backend's error answer passed through (the former tests keep their names).
    [TestCase(", \"Timeout\": 1", "/api/slow", "X-Echo-Delay", "3000", HttpStatusCode.GatewayTimeout, "application/problem+json", null,
        TestName = "DownstreamTimeout_Is504ProblemJson")]
    [TestCase("", "/api/x", "X-Echo-Status", "503", HttpStatusCode.ServiceUnavailable, "application/json", "1",
        TestName = "DownstreamErrors_PassThroughUnchanged")]
    public async Task DownstreamFailure_Answer(string extra, string path, string header, string value,
        HttpStatusCode status, string mediaType, string? echoBackend)
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(Config(backend.Port, extra));
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(header, value);

        var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(status));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(mediaType));
        if (echoBackend is not null)
            Assert.That(response.Headers.GetValues("X-Echo-Backend").Single(), Is.EqualTo(echoBackend));
    }

    [Test]
    public async Task BodyOverRouteLimit_Is413_AndNotForwarded()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(Config(backend.Port, ", \"MaxRequestBodySize\": 10"));
        using var client = gateway.CreateClient();

        var small = await client.PostAsync("/api/x", new StringContent("0123456789"));
        var large = await client.PostAsync("/api/x", new StringContent("01234567890"));

        Assert.That(small.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(large.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(large.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(backend.RequestCount, Is.EqualTo(1));
    }

    [Test]
    public async Task ChunkedBodyOverGlobalLimit_Is413()
    {
        await using var backend = await EchoBackend.StartAsync();
        var config = Config(backend.Port).TrimEnd().TrimEnd('}') + ", \"GlobalConfiguration\": { \"MaxRequestBodySize\": 1024 } }";
        await using var gateway = await GatewayTestHost.StartAsync(config);
        using var client = gateway.CreateClient();
        var content = new StreamContent(new MemoryStream(new byte[64 * 1024]));
        content.Headers.ContentLength = null; // chunked: the limit must hold while streaming

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/x") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [Test]
    public async Task ResponseBody_IsStreamed_NotBuffered()
    {
        // A backend that sends the first chunk and then waits: the client must see the first chunk before the rest exists.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var backend = await TestBackend.StartAsync(async context =>
        {
            await context.Response.WriteAsync("first;");
            await context.Response.Body.FlushAsync();
            await release.Task;
            await context.Response.WriteAsync("second");
        });
        await using var gateway = await GatewayTestHost.StartAsync(Config(backend.Port));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/api/stream", HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[6];
        var read = 0;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (read < 6) read += await stream.ReadAsync(buffer.AsMemory(read), cts.Token);

        Assert.That(Encoding.ASCII.GetString(buffer), Is.EqualTo("first;"));
        release.SetResult();
        using var reader = new StreamReader(stream);
        Assert.That(await reader.ReadToEndAsync(cts.Token), Is.EqualTo("second"));
    }

    [Test]
    public async Task RequestBody_IsStreamedToBackend()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(Config(backend.Port));
        using var client = gateway.CreateClient();
        var payload = new string('x', 200_000);

        var response = await client.PostAsync("/api/upload", new StringContent(payload));
        var echoed = await response.Content.ReadFromJsonAsync<EchoedRequest>();

        Assert.That(echoed!.Body, Has.Length.EqualTo(payload.Length));
    }

    [Test]
    public async Task ClientAbort_IsNotAServerError()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(Config(backend.Port));
        using var client = gateway.CreateClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/slow");
        request.Headers.Add("X-Echo-Delay", "2000");

        Assert.That(async () => await client.SendAsync(request, cts.Token), Throws.InstanceOf<OperationCanceledException>());
        await Task.Delay(300);

        Assert.That(gateway.Logs.Lines.Where(l => l.Level >= LogLevel.Error), Is.Empty, "no error logged for a client abort");
        Assert.That(gateway.Logs.Lines.Select(l => l.Message), Has.Some.Contains("Client aborted"));
    }

    [Test]
    public async Task WebSocket_IsProxiedForWsRoutes()
    {
        await using var backend = await TestBackend.StartWebSocketEchoAsync();
        await using var gateway = await GatewayTestHost.StartAsync(Config(backend.Port, scheme: "ws", upstream: "/ws", downstream: "/socket"));
        using var socket = new ClientWebSocket();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{gateway.BaseAddress.Port}/ws"), cts.Token);

        Assert.That(await TestBackend.RoundTripAsync(socket, "hi", cts.Token), Is.EqualTo("echo:hi"));
    }

    [Test]
    public async Task RoundRobin_AlternatesBetweenDestinations()
    {
        await using var one = await EchoBackend.StartAsync(1);
        await using var two = await EchoBackend.StartAsync(2);
        await using var gateway = await GatewayTestHost.StartAsync(TwoDestinations("RoundRobin", one, two));
        using var client = gateway.CreateClient();

        var backends = new List<string>();
        for (var i = 0; i < 4; i++) backends.Add((await client.GetAsync("/x")).Headers.GetValues("X-Echo-Backend").Single());

        Assert.That(backends, Is.EqualTo(new[] { "1", "2", "1", "2" }));
    }

    [Test]
    public async Task LeastConnection_PrefersTheIdleDestination()
    {
        await using var one = await EchoBackend.StartAsync(1);
        await using var two = await EchoBackend.StartAsync(2);
        await using var gateway = await GatewayTestHost.StartAsync(TwoDestinations("LeastConnection", one, two));
        using var client = gateway.CreateClient();
        using var slow = new HttpRequestMessage(HttpMethod.Get, "/slow");
        slow.Headers.Add("X-Echo-Delay", "1000");
        var busy = client.SendAsync(slow); // occupies destination 1
        await Task.Delay(200);

        var next = await client.GetAsync("/fast");

        Assert.That(next.Headers.GetValues("X-Echo-Backend").Single(), Is.EqualTo("2"));
        Assert.That((await busy).Headers.GetValues("X-Echo-Backend").Single(), Is.EqualTo("1"));
    }

    private static string TwoDestinations(string loadBalancer, EchoBackend one, EchoBackend two) => $$"""
        { "Routes": [ { "UpstreamPathTemplate": "/{all}", "DownstreamPathTemplate": "/{all}",
          "LoadBalancerOptions": { "Type": "{{loadBalancer}}" },
          "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{one.Port}} }, { "Host": "127.0.0.1", "Port": {{two.Port}} } ] } ] }
        """;
}
