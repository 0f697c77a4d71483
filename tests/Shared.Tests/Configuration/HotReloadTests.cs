using System.Net;

namespace Bff.Shared.Tests.Configuration;

internal sealed class HotReloadTests
{
    private static string Config(int port, string upstream) => $$"""
        { "Routes": [ { "UpstreamPathTemplate": "{{upstream}}", "DownstreamPathTemplate": "/echo",
            "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{port}} } ] } ] }
        """;

    [Test]
    public async Task Edit_IsAppliedWithinOneSecond()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(Config(backend.Port, "/before"));
        using var client = gateway.CreateClient();
        Assert.That((await client.GetAsync("/before")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        gateway.Folder.Write("ocelot.json", Config(backend.Port, "/after"));

        await Eventually.HoldsAsync(async () => (await client.GetAsync("/after")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(1), "the edited route answers");
        Assert.That((await client.GetAsync("/before")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task InvalidEdit_KeepsLastGoodConfig_AndLogsEveryError()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(Config(backend.Port, "/good"));
        using var client = gateway.CreateClient();
        var rejected = new TaskCompletionSource<IReadOnlyList<Bff.Shared.Configuration.ConfigError>>(TaskCreationOptions.RunContinuationsAsynchronously);
        gateway.Provider.ReloadRejected += errors => rejected.TrySetResult(errors);

        gateway.Folder.Write("ocelot.json", """
            { "Routes": [ { "UpstreamPathTemplate": "bad", "DownstreamPathTemplate": "/x" } ] }
            """);

        var errors = await rejected.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.That(errors, Has.Count.EqualTo(2));
        Assert.That((await client.GetAsync("/good")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var logged = gateway.Logs.Lines.Select(l => l.Message).ToList();
        Assert.That(logged, Has.Some.Contains("Routes[0].UpstreamPathTemplate"));
        Assert.That(logged, Has.Some.Contains("Routes[0].DownstreamHostAndPorts"));
    }

    [Test]
    public async Task Reload_DoesNotFailInFlightRequests()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(Config(backend.Port, "/slow"));
        using var client = gateway.CreateClient();
        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gateway.Provider.Reloaded += _ => reloaded.TrySetResult();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/slow");
        request.Headers.Add("X-Echo-Delay", "700");
        var inFlight = client.SendAsync(request);
        await Task.Delay(150);
        gateway.Folder.Write("ocelot.json", Config(backend.Port, "/other"));
        await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(5));

        var response = await inFlight;
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task OtherFilesInTheFolder_DoNotReload()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(Config(backend.Port, "/a"));
        var reloads = 0;
        gateway.Provider.Reloaded += _ => Interlocked.Increment(ref reloads);

        // e.g. the SQLite key store or a log file kept beside the route file
        for (var i = 0; i < 5; i++) gateway.Folder.Write("keystore.db", $"data {i}");
        gateway.Folder.Write("gateway.log", "line");
        await Task.Delay(1000);
        Assert.That(Volatile.Read(ref reloads), Is.Zero);

        gateway.Folder.Write("ocelot.json", Config(backend.Port, "/b"));
        await Eventually.HoldsAsync(() => Volatile.Read(ref reloads) == 1, TimeSpan.FromSeconds(2), "one reload");
    }

    [Test]
    public async Task EditOfTheEnvironmentOverlay_Reloads()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(Config(backend.Port, "/a"));
        using var client = gateway.CreateClient();

        // GatewayTestHost runs as environment "Testing": ocelot.Testing.json overlays ocelot.json.
        gateway.Folder.Write("ocelot.testing.json", Config(backend.Port, "/overlay"));

        await Eventually.HoldsAsync(async () => (await client.GetAsync("/overlay")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(2), "the overlay route answers");
    }
}
