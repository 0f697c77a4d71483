using System.Net;
using System.Text.Json.Nodes;
using Bff.Hosts.Tests.Common;

namespace Bff.Hosts.Tests.Security;

/// <summary>
/// #17 item 7: in Production the three hosts keep /metrics and readiness details off the public listener —
/// /health/live and a bare /health/ready status stay for load balancers; Observer:MetricsUrl serves both metrics and
/// the detailed readiness on the management listener; Observer:PublicMetrics / PublicHealthDetails opt back in.
/// </summary>
internal sealed class PublicEndpointsTests
{
    private sealed record RunningHost(IAsyncDisposable Fixture, Func<HttpClient> CreateClient) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Fixture.DisposeAsync();
    }

    private static async Task<RunningHost> StartAsync(string bff, IDictionary<string, string?>? settings = null)
    {
        switch (bff)
        {
            case "web":
                var web = await HostFixture<WebBffMarker>.StartAsync(bff, "Production", settings);
                return new RunningHost(web, web.CreateClient);
            case "mobile":
                var mobile = await HostFixture<MobileBffMarker>.StartAsync(bff, "Production", settings);
                return new RunningHost(mobile, mobile.CreateClient);
            default:
                var partner = await HostFixture<PartnerBffMarker>.StartAsync(bff, "Production", settings);
                return new RunningHost(partner, partner.CreateClient);
        }
    }

    [TestCase("web")]
    [TestCase("mobile")]
    [TestCase("partner")]
    public async Task InProduction_MetricsAndReadinessDetails_AreNotPublic(string bff)
    {
        await using var host = await StartAsync(bff);
        using var client = host.CreateClient();

        Assert.That((await client.GetAsync("/metrics")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await client.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var ready = await client.GetAsync("/health/ready");
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!.AsObject();
        Assert.That(body.Select(p => p.Key), Is.EqualTo(new[] { "status" }), "the status only, no checks or descriptions");
    }

    [TestCase("web")]
    [TestCase("partner")]
    public async Task InProduction_TheManagementListener_ServesMetricsAndDetailedReadiness(string bff)
    {
        var port = FreePort.Dead();
        await using var host = await StartAsync(bff, new Dictionary<string, string?> { ["Observer:MetricsUrl"] = $"http://127.0.0.1:{port}" });
        using var publicClient = host.CreateClient();
        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };

        Assert.That(await management.GetStringAsync("/metrics"), Does.Contain("# TYPE").Or.Contain("# EOF"));
        var details = JsonNode.Parse(await management.GetStringAsync("/health/ready"))!;
        Assert.That(details["checks"]!["configuration"]!["status"]!.GetValue<string>(), Is.EqualTo("Healthy"));
        Assert.That((await management.GetAsync("/partner/v1/orders")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "nothing is forwarded there");
        Assert.That((await publicClient.GetAsync("/metrics")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task InProduction_PublicMetricsAndDetails_CanBeTurnedOn()
    {
        await using var host = await StartAsync("partner", new Dictionary<string, string?>
        {
            ["Observer:PublicMetrics"] = "true",
            ["Observer:PublicHealthDetails"] = "true",
        });
        using var client = host.CreateClient();

        Assert.That((await client.GetAsync("/metrics")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var details = JsonNode.Parse(await client.GetStringAsync("/health/ready"))!;
        Assert.That(details["checks"], Is.Not.Null);
    }
}
