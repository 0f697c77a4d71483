using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bff.Testing;

namespace Bff.Shared.Tests.Observability;

/// <summary>deploy/grafana/bffs-dashboard.json queries only metrics the gateway really exports, under the names
/// Prometheus gives them; the cache hit ratio panel's metric is recorded.</summary>
internal sealed partial class DashboardTests
{
    [GeneratedRegex(@"\b(bff_[a-z_]+|http_server_[a-z_]+)")]
    private static partial Regex MetricName();


    [Test]
    public async Task EveryDashboardQuery_UsesAnExportedMetric()
    {
        var exported = new HashSet<string> { "http_server_request_duration_seconds_bucket" };
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, _) =>
        {
            if (instrument.Meter.Name != "Bffs.Gateway") return;
            var name = instrument.Name.Replace('.', '_');
            lock (exported)
                exported.Add(instrument is Histogram<double> && instrument.Unit == "s" ? name + "_seconds_bucket" : name + "_total");
        };
        listener.Start();
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync($$"""
            { "Routes": [ { "Key": "cached", "UpstreamPathTemplate": "/c/{all}", "DownstreamPathTemplate": "/{all}", "CacheOptions": { "TtlSeconds": 30 },
              "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{backend.Port}} } ] } ] }
            """);
        using var client = gateway.CreateClient();
        Assert.That((await client.GetAsync("/c/x")).Headers.GetValues("X-Cache").Single(), Is.EqualTo("MISS"));
        Assert.That((await client.GetAsync("/c/x")).Headers.GetValues("X-Cache").Single(), Is.EqualTo("HIT"));

        var dashboard = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepoRoot.Path, "deploy", "grafana", "bffs-dashboard.json")))!;
        var queries = dashboard["panels"]!.AsArray().SelectMany(p => p!["targets"]!.AsArray().Select(t => t!["expr"]!.GetValue<string>())).ToList();
        var used = queries.SelectMany(q => MetricName().Matches(q).Select(m => m.Value)).Distinct().ToList();

        Assert.That(used, Has.Count.GreaterThanOrEqualTo(8));
        lock (exported) Assert.That(used, Is.SubsetOf(exported), "every metric the dashboard queries is exported");
        var scrape = await client.GetStringAsync("/metrics");
        Assert.That(scrape, Does.Match("""bff_cache_results_total\{[^}]*result="hit"[^}]*route="cached"[^}]*\} 1"""));
        Assert.That(scrape, Does.Match("""bff_cache_results_total\{[^}]*result="miss"[^}]*route="cached"[^}]*\} 1"""));
    }
}
