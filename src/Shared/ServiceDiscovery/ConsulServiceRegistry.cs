using System.Diagnostics;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;

namespace Bff.Shared.ServiceDiscovery;

/// <summary>
/// The <c>Consul</c> and <c>PollConsul</c> providers: Consul's health API, <c>/v1/health/service/{name}?passing</c>
/// (instances whose checks pass), with the ACL <c>Token</c> as <c>X-Consul-Token</c>. An instance is the service's
/// address (the node's address when the service registered none — never the node's name, Ocelot's recurring bug) and
/// port. <c>Consul</c> follows changes with blocking queries (<c>index</c>, <c>wait</c>); <c>PollConsul</c> asks every
/// PollingInterval.
/// </summary>
internal sealed class ConsulServiceRegistry(ServiceRegistryOptions options, TimeProvider time) : IServiceRegistry, IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(55);
    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2) }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly string _base = $"{options.Scheme}://{options.Host ?? "localhost"}:{(options.Port > 0 ? options.Port : 8500)}";

    public async IAsyncEnumerable<IReadOnlyList<(string Host, int Port)>> WatchAsync(DiscoveredService service, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ulong index = 0;
        var ns = service.Namespace ?? options.Namespace;
        while (true)
        {
            var blocking = !options.Polls && index > 0;
            var url = $"{_base}/v1/health/service/{Uri.EscapeDataString(service.Name)}?passing=true"
                + (blocking ? $"&index={index}&wait={Wait.TotalSeconds:0}s" : "") + (ns is null ? "" : $"&ns={Uri.EscapeDataString(ns)}");
            var started = Stopwatch.GetTimestamp();
            var (next, instances) = await QueryAsync(url, blocking ? Wait + TimeSpan.FromSeconds(15) : TimeSpan.FromSeconds(10), cancellationToken);
            // Consul: an index that goes backwards (a registry restored, say) starts over from 0.
            var changed = !blocking || next != index;
            index = next < index ? 0 : next;
            if (changed) yield return instances;
            if (options.Polls) await Task.Delay(options.PollingInterval, time, cancellationToken);
            else if (!changed && Stopwatch.GetElapsedTime(started) < MinInterval) await Task.Delay(MinInterval, time, cancellationToken);
        }
    }

    private async Task<(ulong Index, List<(string, int)> Instances)> QueryAsync(string url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (options.Token is not null) request.Headers.Add("X-Consul-Token", options.Token);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var response = await _http.SendAsync(request, deadline.Token);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"Consul answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        var index = response.Headers.TryGetValues("X-Consul-Index", out var values) && ulong.TryParse(values.FirstOrDefault(), out var i) ? i : 0;
        var entries = await response.Content.ReadFromJsonAsync<HealthEntry[]>(deadline.Token) ?? [];
        List<(string, int)> instances = [.. entries
            .Where(e => e.Service is { Port: > 0 })
            .Select(e => (string.IsNullOrWhiteSpace(e.Service!.Address) ? e.Node?.Address : e.Service.Address, e.Service.Port))
            .Where(e => !string.IsNullOrWhiteSpace(e.Item1))
            .Select(e => (e.Item1!, e.Port))];
        return (index, instances);
    }

    public void Dispose() => _http.Dispose();

    private sealed record HealthEntry(NodeInfo? Node, ServiceInfo? Service);

    private sealed record NodeInfo(string? Address);

    private sealed record ServiceInfo(string? Address, int Port);
}
