using System.Net;
using Bff.Testing;
using Microsoft.AspNetCore.Http;

namespace Bff.Shared.Tests.Resilience;

/// <summary>RetryOptions against real Kestrel backends: what is retried, what never is, and the budget.</summary>
internal sealed class RetryTests
{
    private static string Route(int port, string retry, string extra = "") => $$"""
        { "Routes": [ { "UpstreamPathTemplate": "/{all}", "DownstreamPathTemplate": "/{all}", "UpstreamHttpMethod": [ "Get", "Post", "Put", "Delete" ],
          "RetryOptions": {{retry}} {{extra}},
          "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{port}} } ] } ] }
        """;

    /// <summary>Fails the first <c>failures</c> calls in the given way, then answers 200 "ok".</summary>
    private sealed class Failing(int failures, Func<HttpContext, Task> fail)
    {
        public int Count;
        public Task Handle(HttpContext context) =>
            Interlocked.Increment(ref Count) <= failures ? fail(context) : context.Response.WriteAsync("ok");
    }

    private static Task Status503(HttpContext context)
    {
        context.Response.StatusCode = 503;
        return context.Response.WriteAsync("busy");
    }

    [Test]
    public async Task Get_RetriedOn503_UntilItSucceeds()
    {
        var backend = new Failing(2, Status503);
        var counted = 0L;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Name == "bff.retries") l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref counted, value));
        listener.Start();
        await using var server = await TestBackend.StartAsync(backend.Handle);
        await using var gateway = await GatewayTestHost.StartAsync(Route(server.Port, """{ "Count": 2, "DelayMs": 10 }"""));
        using var client = gateway.CreateClient();

        var response = await client.GetAsync("/a");
        Assert.That(Interlocked.Read(ref counted), Is.EqualTo(2), "bff.retries");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("ok"));
        Assert.That(backend.Count, Is.EqualTo(3));
        Assert.That(gateway.Logs.Lines.Count(l => l.Message.StartsWith("Retrying route /{all}", StringComparison.Ordinal)), Is.EqualTo(2));
    }

    /// <summary>A GET that fails once in the given way, then succeeds (the former tests keep their names).</summary>
    private static IEnumerable<TestCaseData> GetFailingOnce()
    {
        yield return new TestCaseData((Func<HttpContext, Task>)(context => { context.Abort(); return Task.CompletedTask; }), "")
            .SetName("Get_RetriedAfterConnectionReset");
        yield return new TestCaseData((Func<HttpContext, Task>)(async context => { await Task.Delay(3000, context.RequestAborted); }),
                """, "QoSOptions": { "TimeoutValue": 300 }""")
            .SetName("Get_RetriedAfterAttemptTimeout");
    }

    [TestCaseSource(nameof(GetFailingOnce))]
    public async Task Get_RetriedAfterOneFailure(Func<HttpContext, Task> fail, string extra)
    {
        var backend = new Failing(1, fail);
        await using var server = await TestBackend.StartAsync(backend.Handle);
        await using var gateway = await GatewayTestHost.StartAsync(Route(server.Port, """{ "Count": 1, "DelayMs": 10 }""", extra));
        using var client = gateway.CreateClient();

        Assert.That((await client.GetAsync("/a")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(backend.Count, Is.EqualTo(2));
    }

    [Test]
    public async Task EveryAttemptTimesOut_Is504()
    {
        var backend = new Failing(10, async context => { await Task.Delay(3000, context.RequestAborted); });
        await using var server = await TestBackend.StartAsync(backend.Handle);
        await using var gateway = await GatewayTestHost.StartAsync(Route(server.Port, """{ "Count": 1, "DelayMs": 10 }""", """, "QoSOptions": { "TimeoutValue": 200 }"""));
        using var client = gateway.CreateClient();

        var response = await client.GetAsync("/a");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.GatewayTimeout));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(backend.Count, Is.EqualTo(2));
    }

    [TestCase("POST", false)]
    [TestCase("PUT", false)]
    [TestCase("DELETE", false)]
    [TestCase("PUT", true)] // a streamed body cannot be sent twice, even when the route allows PUT retries
    public async Task NonIdempotentOrBodyRequests_AreSentOnce(string method, bool retryPutAndDelete)
    {
        var backend = new Failing(5, Status503);
        await using var server = await TestBackend.StartAsync(backend.Handle);
        await using var gateway = await GatewayTestHost.StartAsync(Route(server.Port, $$"""{ "Count": 3, "DelayMs": 10, "RetryPutAndDelete": {{(retryPutAndDelete ? "true" : "false")}} }"""));
        using var client = gateway.CreateClient();

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/a") { Content = new StringContent("{}") });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("busy"), "the backend's own answer, passed through");
        Assert.That(backend.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task Delete_RetriedWhenTheRouteSaysSo()
    {
        var backend = new Failing(1, Status503);
        await using var server = await TestBackend.StartAsync(backend.Handle);
        await using var gateway = await GatewayTestHost.StartAsync(Route(server.Port, """{ "Count": 1, "DelayMs": 10, "RetryPutAndDelete": true }"""));
        using var client = gateway.CreateClient();

        Assert.That((await client.DeleteAsync("/a")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(backend.Count, Is.EqualTo(2));
    }

    [Test]
    public async Task Budget_LimitsRetriesToItsShareOfRequests()
    {
        var backend = new Failing(int.MaxValue, Status503);
        await using var server = await TestBackend.StartAsync(backend.Handle);
        await using var gateway = await GatewayTestHost.StartAsync(Route(server.Port, """{ "Count": 3, "DelayMs": 1, "BudgetPercent": 10 }"""));
        using var client = gateway.CreateClient();

        for (var i = 0; i < 50; i++) Assert.That((await client.GetAsync("/a")).StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));

        // 50 requests allow max(3, 10% of 50) = 5 retries in the window, not 50 × 3.
        Assert.That(backend.Count, Is.EqualTo(55));
    }

    [TestCase("""{ "Count": 11 }""", "Routes[0].RetryOptions.Count")]
    [TestCase("""{ "Count": 1, "DelayMs": -1 }""", "Routes[0].RetryOptions.DelayMs")]
    [TestCase("""{ "Count": 1, "BudgetPercent": 150 }""", "Routes[0].RetryOptions.BudgetPercent")]
    public void InvalidOptions_AreConfigErrors(string retry, string path)
    {
        var e = Assert.ThrowsAsync<Bff.Shared.Configuration.GatewayConfigurationException>(() => GatewayTestHost.StartAsync(Route(1, retry)));
        Assert.That(e!.Message, Does.Contain(path));
    }

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now = DateTimeOffset.UtcNow;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Test]
    public void Budget_IsAShareOfTheCurrentWindow_AndStartsAfreshInTheNext()
    {
        var clock = new ManualClock();
        var budget = new Bff.Shared.Resilience.RetryBudget(0.1, clock);
        for (var i = 0; i < 100; i++) budget.RecordRequest();
        for (var i = 0; i < 10; i++) Assert.That(budget.TryRetry(), Is.True, $"retry {i + 1} of 10");
        Assert.That(budget.TryRetry(), Is.False, "10% of 100 requests used up");

        clock.Now += TimeSpan.FromSeconds(11);
        budget.RecordRequest();
        for (var i = 0; i < 3; i++) Assert.That(budget.TryRetry(), Is.True, "a new window, with the floor of 3");
        Assert.That(budget.TryRetry(), Is.False);
    }
}
