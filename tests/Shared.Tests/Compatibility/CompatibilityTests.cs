using System.Globalization;
using System.Text.Json;

namespace Bff.Shared.Tests.Compatibility;

/// <summary>
/// Runs every <see cref="CompatibilityCases"/> row: a real gateway on Kestrel with the row's ocelot.json, two real
/// echo backends, and one raw HTTP request; then compares what the client got and what the backend received.
/// </summary>
[TestFixture]
internal sealed class CompatibilityTests
{
    private EchoBackend _backend1 = null!;
    private EchoBackend _backend2 = null!;
    private int _dead;

    [OneTimeSetUp]
    public async Task StartBackends()
    {
        _backend1 = await EchoBackend.StartAsync(1);
        _backend2 = await EchoBackend.StartAsync(2);
        _dead = FreePort.Dead();
    }

    [OneTimeTearDown]
    public async Task StopBackends()
    {
        await _backend1.DisposeAsync();
        await _backend2.DisposeAsync();
    }

    private string Fill(string text) => text
        .Replace("{{PORT}}", _backend1.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{{PORT2}}", _backend2.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{{DEAD}}", _dead.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    [TestCaseSource(typeof(CompatibilityCases), nameof(CompatibilityCases.All))]
    public async Task Ocelot25Behaviour(CompatibilityCase c)
    {
        await using var gateway = await GatewayTestHost.StartAsync(Fill(c.Config));
        var before = _backend1.RequestCount + _backend2.RequestCount;
        var headers = (c.Request.Headers ?? new Dictionary<string, string>()).Select(h => KeyValuePair.Create(h.Key, Fill(h.Value)));
        var response = await RawHttp.SendAsync(gateway.BaseAddress.Port, c.Request.Method, Fill(c.Request.PathAndQuery), headers,
            c.Request.Host is null ? null : Fill(c.Request.Host), c.Request.Body);
        var reached = _backend1.RequestCount + _backend2.RequestCount - before;

        var expect = c.Expect;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Status, Is.EqualTo(expect.Status), $"status; body: {response.Body}");
            if (expect.ProblemJson)
                Assert.That(response.Header("Content-Type"), Does.StartWith("application/problem+json"), "gateway error is problem+json");
            if (expect.Backend == 0)
                Assert.That(reached, Is.Zero, "the request must not reach a backend");
            foreach (var (name, value) in expect.ResponseHeaders ?? new Dictionary<string, string?>())
                Assert.That(response.Header(name), Is.EqualTo(value is null ? null : Fill(value)), $"response header {name}");
        }

        var needsEcho = expect.Method is not null || expect.PathAndQuery is not null || expect.DownstreamHeaders is not null || expect.Backend is > 0;
        if (!needsEcho) return;
        Assert.That(reached, Is.EqualTo(1), "exactly one request must reach a backend");
        var echoed = JsonSerializer.Deserialize<EchoedRequest>(response.Body, JsonSerializerOptions.Web)!;
        using (Assert.EnterMultipleScope())
        {
            if (expect.Backend is > 0) Assert.That(echoed.Backend, Is.EqualTo(expect.Backend), "backend");
            if (expect.Method is not null) Assert.That(echoed.Method, Is.EqualTo(expect.Method), "downstream method");
            if (expect.PathAndQuery is not null) Assert.That(echoed.PathAndQuery, Is.EqualTo(Fill(expect.PathAndQuery)), "downstream path and query");
            foreach (var (name, value) in expect.DownstreamHeaders ?? new Dictionary<string, string?>())
            {
                var received = new Dictionary<string, string>(echoed.Headers, StringComparer.OrdinalIgnoreCase);
                var actual = received.TryGetValue(name, out var v) ? v : null;
                Assert.That(actual, Is.EqualTo(value is null ? null : Fill(value)), $"downstream header {name}");
            }
        }
    }

    [Test]
    public void Suite_HasAtLeastSixtyUniqueCases()
    {
        var names = CompatibilityCases.All().Select(c => c.Name).ToList();
        Assert.That(names, Has.Count.GreaterThanOrEqualTo(60));
        Assert.That(names, Is.Unique);
    }
}
