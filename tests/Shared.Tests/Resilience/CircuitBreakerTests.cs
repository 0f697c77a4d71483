using System.Diagnostics.Metrics;
using System.Net;
using Bff.Testing;
using Microsoft.AspNetCore.Http;

namespace Bff.Shared.Tests.Resilience;

/// <summary>QoSOptions against real Kestrel backends: circuit per destination, passive health, QoS timeout.</summary>
internal sealed class CircuitBreakerTests
{
    private static string Route(string qos, params int[] ports) => $$"""
        { "Routes": [ { "UpstreamPathTemplate": "/{all}", "DownstreamPathTemplate": "/{all}",
          "LoadBalancerOptions": { "Type": "RoundRobin" }, "QoSOptions": {{qos}},
          "DownstreamHostAndPorts": [ {{string.Join(", ", ports.Select(p => $$"""{ "Host": "127.0.0.1", "Port": {{p}} }"""))}} ] } ] }
        """;

    /// <summary>A backend that answers 500 while <c>failing</c> is set, else 200, and counts what reached it.</summary>
    private sealed class Flaky
    {
        public volatile bool Failing = true;
        public int Count;
        public Task Handle(HttpContext context)
        {
            Interlocked.Increment(ref Count);
            context.Response.StatusCode = Failing ? 500 : 200;
            return context.Response.WriteAsync(Failing ? "broken" : "ok");
        }
    }

    [TestCase("""{ "MinimumThroughput": 2, "FailureRatio": 0.5, "BreakDuration": 1000 }""")]
    [TestCase("""{ "ExceptionsAllowedBeforeBreaking": 2, "DurationOfBreak": 1000 }""")]
    public async Task FailingBackend_OpensCircuit_Answers503WithRetryAfter_WithoutForwarding_ThenRecovers(string qos)
    {
        var flaky = new Flaky();
        await using var backend = await TestBackend.StartAsync(flaky.Handle);
        await using var gateway = await GatewayTestHost.StartAsync(Route(qos, backend.Port));
        using var client = gateway.CreateClient();

        Assert.That((await client.GetAsync("/a")).StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That((await client.GetAsync("/a")).StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        var reached = flaky.Count;

        var rejected = await client.GetAsync("/a");
        Assert.That(rejected.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(rejected.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(rejected.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That((await client.GetAsync("/a")).StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(flaky.Count, Is.EqualTo(reached), "an open circuit forwards nothing");

        flaky.Failing = false;
        await Task.Delay(1200); // the break duration passes: the next call is the half-open probe
        Assert.That((await client.GetAsync("/a")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.GetAsync("/a")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(gateway.Logs.Lines.Select(l => l.Message), Has.Some.StartsWith("Circuit opened for route /{all} destination 127.0.0.1:" + backend.Port));
        Assert.That(gateway.Logs.Lines.Select(l => l.Message), Has.Some.StartsWith("Circuit closed for route /{all}"));
    }

    [Test]
    public async Task OutOfRangeDurations_FallBackToDefaults_InsteadOfFailingRequests()
    {
        var flaky = new Flaky { Failing = false };
        await using var backend = await TestBackend.StartAsync(flaky.Handle);
        await using var gateway = await GatewayTestHost.StartAsync(Route("""{ "MinimumThroughput": 2, "FailureRatio": 0.5, "BreakDuration": 999999999, "SamplingDuration": 999999999 }""", backend.Port));
        using var client = gateway.CreateClient();

        Assert.That((await client.GetAsync("/a")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        flaky.Failing = true;
        for (var i = 0; i < 2; i++) await client.GetAsync("/a");
        var open = await client.GetAsync("/a");
        Assert.That(open.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(open.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(5)), "the default break duration");
    }

    [Test]
    public async Task FailedProbe_ReopensTheCircuit()
    {
        var flaky = new Flaky();
        await using var backend = await TestBackend.StartAsync(flaky.Handle);
        await using var gateway = await GatewayTestHost.StartAsync(Route("""{ "MinimumThroughput": 2, "BreakDuration": 600 }""", backend.Port));
        using var client = gateway.CreateClient();
        for (var i = 0; i < 2; i++) await client.GetAsync("/a");
        Assert.That((await client.GetAsync("/a")).StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));

        await Task.Delay(800);
        var before = flaky.Count;
        Assert.That((await client.GetAsync("/a")).StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError), "the probe reaches the backend");
        Assert.That(flaky.Count, Is.EqualTo(before + 1));
        Assert.That((await client.GetAsync("/a")).StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "a failed probe opens it again");
        Assert.That(flaky.Count, Is.EqualTo(before + 1));
    }

    [Test]
    public async Task ProbeWhoseCallerWentAway_DoesNotCloseTheCircuit()
    {
        var slow = false;
        await using var backend = await TestBackend.StartAsync(async context =>
        {
            if (Volatile.Read(ref slow)) await Task.Delay(2000, context.RequestAborted);
            context.Response.StatusCode = 500;
        });
        await using var gateway = await GatewayTestHost.StartAsync(Route("""{ "MinimumThroughput": 2, "BreakDuration": 600 }""", backend.Port));
        using var client = gateway.CreateClient();
        for (var i = 0; i < 2; i++) await client.GetAsync("/a");
        Assert.That((await client.GetAsync("/a")).StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));

        await Task.Delay(800);
        Volatile.Write(ref slow, true);
        using (var gone = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
            Assert.That(async () => await client.GetAsync("/a", gone.Token), Throws.InstanceOf<OperationCanceledException>(), "the probe's caller leaves");
        await Task.Delay(200);

        Assert.That((await client.GetAsync("/a")).StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "still open");
    }

    [Test]
    public async Task DeadBackend_Is502_ThenOpenCircuit503()
    {
        await using var gateway = await GatewayTestHost.StartAsync(Route("""{ "MinimumThroughput": 2, "BreakDuration": 5000 }""", FreePort.Dead()));
        using var client = gateway.CreateClient();

        Assert.That((await client.GetAsync("/a")).StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That((await client.GetAsync("/a")).StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        var open = await client.GetAsync("/a");
        Assert.That(open.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(open.Headers.RetryAfter?.Delta?.TotalSeconds, Is.InRange(4, 5));
    }

    [Test]
    public async Task OneDeadDestination_DoesNotOpenItsSiblings_AndTrafficMovesToTheHealthyOne()
    {
        var healthy = new Flaky { Failing = false };
        await using var good = await TestBackend.StartAsync(healthy.Handle);
        var deadPort = FreePort.Dead();
        var transitions = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Name == "bff.circuit.transitions") l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            lock (transitions) transitions.Add(string.Join(",", tags.ToArray().Where(t => t.Key != "route").Select(t => $"{t.Key}={t.Value}")));
        });
        listener.Start();
        await using var gateway = await GatewayTestHost.StartAsync(Route("""{ "MinimumThroughput": 2, "BreakDuration": 10000 }""", deadPort, good.Port));
        using var client = gateway.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++) statuses.Add((await client.GetAsync("/a")).StatusCode);

        // Round robin sends two calls to the dead host (502) before its circuit opens; everything after goes to the
        // healthy one, and its circuit never opens.
        Assert.That(statuses.Count(s => s == HttpStatusCode.BadGateway), Is.EqualTo(2));
        Assert.That(statuses.Skip(4), Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(healthy.Count, Is.EqualTo(18));
        lock (transitions) Assert.That(transitions, Is.EqualTo(new[] { $"bff=test,destination=127.0.0.1:{deadPort},state=open" }));
    }

    [Test]
    public async Task QosTimeout_Is504_AndCountsAsFailure()
    {
        await using var backend = await TestBackend.StartAsync(async context =>
        {
            await Task.Delay(3000, context.RequestAborted);
            await context.Response.WriteAsync("late");
        });
        await using var gateway = await GatewayTestHost.StartAsync(Route("""{ "TimeoutValue": 300, "MinimumThroughput": 2, "BreakDuration": 5000 }""", backend.Port));
        using var client = gateway.CreateClient();

        var first = await client.GetAsync("/a");
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.GatewayTimeout));
        Assert.That(first.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await client.GetAsync("/a")).StatusCode, Is.EqualTo(HttpStatusCode.GatewayTimeout));
        Assert.That((await client.GetAsync("/a")).StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
    }

    [Test]
    public async Task GlobalQoSOptions_ApplyToRoutes_AndTimeoutAloneOpensNoCircuit()
    {
        var flaky = new Flaky();
        await using var backend = await TestBackend.StartAsync(flaky.Handle);
        var config = $$"""
            { "Routes": [
                { "Key": "guarded", "UpstreamPathTemplate": "/g/{all}", "DownstreamPathTemplate": "/{all}", "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{backend.Port}} } ] },
                { "Key": "timeout-only", "UpstreamPathTemplate": "/t/{all}", "DownstreamPathTemplate": "/{all}", "QoSOptions": { "MinimumThroughput": 0 },
                  "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{backend.Port}} } ] } ],
              "GlobalConfiguration": { "QoSOptions": { "MinimumThroughput": 2, "BreakDuration": 5000, "Timeout": 2000, "RouteKeys": [ "guarded" ] } } }
            """;
        await using var gateway = await GatewayTestHost.StartAsync(config);
        using var client = gateway.CreateClient();

        for (var i = 0; i < 2; i++) await client.GetAsync("/g/x");
        Assert.That((await client.GetAsync("/g/x")).StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        for (var i = 0; i < 5; i++) Assert.That((await client.GetAsync("/t/x")).StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
    }

    [Test]
    public async Task Shutdown_TurnsReadinessUnhealthy_WhileInFlightRequestsFinish()
    {
        await using var backend = await TestBackend.StartAsync(async context =>
        {
            await Task.Delay(1500);
            await context.Response.WriteAsync("done");
        });
        await using var gateway = await GatewayTestHost.StartAsync(Route("""{ "Timeout": 10000 }""", backend.Port),
            new Dictionary<string, string?> { ["Gateway:DrainDelay"] = "00:00:01" });
        using var client = gateway.CreateClient();
        Assert.That((await client.GetAsync("/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var inFlight = client.GetAsync("/slow");
        await Task.Delay(200);
        var stopping = Task.Run(gateway.StopAsync);
        await Task.Delay(300);
        var ready = await client.GetAsync("/health/ready");
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(await ready.Content.ReadAsStringAsync(), Does.Contain("shutting down"));

        var response = await inFlight;
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("done"));
        await stopping;
    }
}
