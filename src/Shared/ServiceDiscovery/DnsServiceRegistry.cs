using System.Net;
using System.Runtime.CompilerServices;
using DnsClient;
using DnsClient.Protocol;

namespace Bff.Shared.ServiceDiscovery;

/// <summary>
/// The <c>Dns</c> provider (DnsClient.NET): SRV records <c>_{scheme}._tcp.{name}</c> — for a name without a dot,
/// Kubernetes' headless-service form <c>{name}.{namespace}.svc.cluster.local</c> — with the instances of the lowest
/// priority; without SRV records, the name's A/AAAA records on the fallback port. Asked again when the shortest TTL of
/// the answer runs out (1 s to 5 min). The DNS server is <c>Host</c>:<c>Port</c> when given, else the system's.
/// </summary>
internal sealed class DnsServiceRegistry : IServiceRegistry
{
    private static readonly TimeSpan MinTtl = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxTtl = TimeSpan.FromMinutes(5);
    private readonly LookupClient _client;
    private readonly ServiceRegistryOptions _options;
    private readonly TimeProvider _time;

    public DnsServiceRegistry(ServiceRegistryOptions options, TimeProvider time)
    {
        var lookup = options.Host is null
            ? new LookupClientOptions()
            : new LookupClientOptions(new IPEndPoint(IPAddress.TryParse(options.Host, out var ip) ? ip : System.Net.Dns.GetHostAddresses(options.Host)[0], options.Port > 0 ? options.Port : 53));
        lookup.UseCache = false; // the TTL decides when to ask again, here
        lookup.Timeout = TimeSpan.FromSeconds(2);
        lookup.Retries = 1;
        lookup.ThrowDnsErrors = false;
        _client = new LookupClient(lookup);
        (_options, _time) = (options, time);
    }

    public async IAsyncEnumerable<IReadOnlyList<(string Host, int Port)>> WatchAsync(DiscoveredService service, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var name = service.Name.Contains('.') ? service.Name : $"{service.Name}.{service.Namespace ?? _options.Namespace ?? KubeServiceRegistry.PodNamespace() ?? "default"}.svc.cluster.local";
        while (true)
        {
            var (instances, ttl) = await ResolveAsync(name, service.PortName ?? "http", cancellationToken);
            yield return instances;
            var wait = instances.Count == 0 ? MinTtl : TimeSpan.FromTicks(Math.Clamp(ttl.Ticks, MinTtl.Ticks, MaxTtl.Ticks));
            await Task.Delay(wait, _time, cancellationToken);
        }
    }

    private async Task<(List<(string, int)>, TimeSpan)> ResolveAsync(string name, string portName, CancellationToken cancellationToken)
    {
        var srv = await _client.QueryAsync($"_{portName}._tcp.{name}", QueryType.SRV, QueryClass.IN, cancellationToken);
        var records = srv.HasError ? [] : srv.Answers.SrvRecords().ToList();
        var instances = new List<(string, int)>();
        if (records.Count == 0)
        {
            // No SRV records: the name's addresses on the fallback port (the scheme's default port unless configured).
            var port = _options.FallbackPort ?? (portName is "https" or "wss" ? 443 : 80);
            var (addresses, addressTtl) = await AddressesAsync(name, null, cancellationToken);
            instances.AddRange(addresses.Select(a => (a.ToString(), port)));
            return (instances, addressTtl);
        }
        var ttl = TimeSpan.FromSeconds(records.Min(r => r.TimeToLive));
        var priority = records.Min(r => r.Priority); // RFC 2782: the lowest priority's targets; the load balancer spreads
        foreach (var record in records.Where(r => r.Priority == priority).OrderBy(r => r.Target.Value, StringComparer.Ordinal).ThenBy(r => r.Port))
        {
            var (addresses, addressTtl) = await AddressesAsync(record.Target.Value, srv.Additionals, cancellationToken);
            instances.AddRange(addresses.Select(a => (a.ToString(), (int)record.Port)));
            if (addressTtl < ttl) ttl = addressTtl;
        }
        return (instances, ttl);
    }

    /// <summary>A target's A and AAAA addresses, from the SRV answer's additional records or by asking.</summary>
    private async Task<(List<IPAddress>, TimeSpan)> AddressesAsync(string target, IReadOnlyList<DnsResourceRecord>? additionals, CancellationToken cancellationToken)
    {
        var given = additionals?.OfType<AddressRecord>().Where(a => a.DomainName.Value.Equals(target, StringComparison.OrdinalIgnoreCase)).ToList() ?? [];
        if (given.Count == 0)
        {
            var a = await _client.QueryAsync(target, QueryType.A, QueryClass.IN, cancellationToken);
            var aaaa = await _client.QueryAsync(target, QueryType.AAAA, QueryClass.IN, cancellationToken);
            if (a.HasError && aaaa.HasError && a.Header.ResponseCode != DnsHeaderResponseCode.NotExistentDomain)
                throw new DnsResponseException((DnsResponseCode)a.Header.ResponseCode, $"{target}: {a.ErrorMessage}");
            given = [.. a.Answers.OfType<AddressRecord>(), .. aaaa.Answers.OfType<AddressRecord>()];
        }
        var ttl = given.Count == 0 ? MinTtl : TimeSpan.FromSeconds(given.Min(r => r.TimeToLive));
        return ([.. given.Select(r => r.Address).Distinct()], ttl);
    }
}
